// The Kubernetes backend against a real API server (kube-apiserver, controller-manager, scheduler,
// etcd, and kwok's fake node from scripts/k8s/cluster.sh): run with scripts/test-k8s.sh.
// In kwok's simulation a pod runs ~1 s and succeeds; CAIRN_FAKE_EXIT_CODE=N makes it fail with N,
// CAIRN_FAKE_DURATION=<Go duration> makes it run longer, an image named *does-not-exist* never pulls.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BatchV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { BackendHandle } from '../backend';
import { KubernetesBackend } from './kubernetes.backend';
import { ApiServerRelay, kubeconfigPath, kubeconfigWithPort, launchSpec, until } from './k8s.spec-helper';

const namespace = `cairn-k8s-test-${process.pid}`;
const quiet = { log: () => undefined, warn: () => undefined };
const never = () => new AbortController().signal;
/** The client's typed model objects as plain JSON. */
const plain = (o: unknown): unknown => JSON.parse(JSON.stringify(o));

let kc: KubeConfig;
let batch: BatchV1Api;
let core: CoreV1Api;
let backend: KubernetesBackend;

before(async () => {
  kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath());
  batch = kc.makeApiClient(BatchV1Api);
  core = kc.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: namespace } } });
  await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: 'trainer' } } });
  backend = new KubernetesBackend({ kubeconfigPath: kubeconfigPath(), logger: quiet });
});

after(async () => {
  await core?.deleteNamespace({ name: namespace, propagationPolicy: 'Background' }).catch(() => undefined);
});

const jobOf = (h: BackendHandle) => {
  assert.equal(h.backend, 'kubernetes');
  return h as Extract<BackendHandle, { backend: 'kubernetes' }>;
};

describe('KubernetesBackend against a real API server', () => {
  let finished: BackendHandle | undefined;

  it('creates the Job with the expected spec, follows it to FINISHED, and serves the pod\'s log', { timeout: 60_000 }, async () => {
    const spec = launchSpec({
      namespace,
      serviceAccountName: 'trainer',
      resources: { requests: { cpu: '250m', memory: '64Mi' }, limits: { memory: '128Mi' } },
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      tolerations: [{ key: 'kwok.x-k8s.io/node', operator: 'Exists', effect: 'NoSchedule' }],
      ttlSecondsAfterFinished: 600,
      activeDeadlineSeconds: 600,
      imagePullPolicy: 'IfNotPresent',
      trackingUri: 'http://cairn-gateway.cairn:5000',
    });
    const handle = jobOf(await backend.launch(spec));
    assert.equal(handle.namespace, namespace);
    assert.equal(handle.jobName, `cairn-k8s-test-${spec.runId.slice(0, 8)}`);

    const job = await batch.readNamespacedJob({ name: handle.jobName, namespace });
    assert.equal(job.metadata?.labels?.['app.kubernetes.io/managed-by'], 'cairn');
    assert.equal(job.metadata?.labels?.['cairn.dev/run-id'], spec.runId);
    assert.equal(job.spec?.backoffLimit, 0);
    assert.equal(job.spec?.ttlSecondsAfterFinished, 600);
    assert.equal(job.spec?.activeDeadlineSeconds, 600);
    const pod = job.spec!.template.spec!;
    assert.equal(pod.serviceAccountName, 'trainer');
    assert.equal(pod.restartPolicy, 'Never');
    assert.deepEqual(plain(pod.nodeSelector), { 'kubernetes.io/os': 'linux' });
    assert.equal(pod.tolerations?.[0].key, 'kwok.x-k8s.io/node');
    assert.equal(job.spec!.template.metadata?.labels?.['cairn.dev/run-id'], spec.runId);
    const [c] = pod.containers;
    assert.equal(c.name, 'k8s-test');
    assert.equal(c.image, 'python:3.12-slim');
    assert.equal(c.imagePullPolicy, 'IfNotPresent');
    assert.deepEqual(c.command, ['python', 'train.py', '--alpha', '0.5']);
    assert.deepEqual(
      Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value])),
      { MLFLOW_RUN_ID: spec.runId, MLFLOW_TRACKING_URI: 'http://cairn-gateway.cairn:5000', MLFLOW_EXPERIMENT_ID: '1' },
    );
    assert.deepEqual(plain(c.resources), { requests: { cpu: '250m', memory: '64Mi' }, limits: { memory: '128Mi' } });

    assert.deepEqual(await backend.wait(handle, never()), { status: 'FINISHED', exitCode: 0 });
    finished = handle;

    const all = await backend.logs(handle, 0);
    assert.match(all.data, /cairn fake pod: started\n/);
    assert.equal(all.nextOffset, Buffer.byteLength(all.data));
    const rest = await backend.logs(handle, 10);
    assert.equal(rest.data, all.data.slice(10));
    assert.deepEqual(await backend.logs(handle, all.nextOffset), { data: '', nextOffset: all.nextOffset });
  });

  it('re-attaches: a fresh backend\'s wait on a finished Job resolves at once', { timeout: 60_000 }, async () => {
    assert.ok(finished, 'needs the previous test');
    const fresh = new KubernetesBackend({ kubeconfigPath: kubeconfigPath(), logger: quiet });
    const started = Date.now();
    assert.equal((await fresh.wait(finished, never())).status, 'FINISHED');
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
  });

  it('maps a pod that fails to FAILED with its exit code', { timeout: 60_000 }, async () => {
    const spec = launchSpec({ namespace });
    spec.env.CAIRN_FAKE_EXIT_CODE = '3';
    const handle = await backend.launch(spec);
    const outcome = await backend.wait(handle, never());
    assert.equal(outcome.status, 'FAILED');
    assert.equal(outcome.exitCode, 3);
    assert.match(outcome.message!, /failed \(BackoffLimitExceeded/);
    assert.match(outcome.message!, /container "k8s-test" of pod .* exited with code 3/);
  });

  it('fails a run whose image cannot be pulled after the grace period, with the reason, and deletes its Job', { timeout: 60_000 }, async () => {
    const spec = launchSpec({ namespace, image: 'registry.invalid/does-not-exist:1', imagePullGraceSeconds: 3 });
    const handle = jobOf(await backend.launch(spec));
    const started = Date.now();
    const outcome = await backend.wait(handle, never());
    const took = Date.now() - started;
    assert.equal(outcome.status, 'FAILED');
    assert.match(outcome.message!, /Image "registry.invalid\/does-not-exist:1" could not be pulled for 3 s \((ErrImagePull|ImagePullBackOff)/);
    assert.ok(took >= 2500 && took < 15_000, `took ${took} ms`);
    await until(
      () => batch.readNamespacedJob({ name: handle.jobName, namespace }).then((j) => Boolean(j.metadata?.deletionTimestamp), (e: { code?: number }) => e.code === 404),
      'the Job to be deleted',
    );
  });

  it('cancel deletes the Job and its pods, and wait resolves KILLED', { timeout: 60_000 }, async () => {
    const spec = launchSpec({ namespace });
    spec.env.CAIRN_FAKE_DURATION = '120s';
    const handle = jobOf(await backend.launch(spec));
    const waiting = backend.wait(handle, never());
    const selector = `job-name=${handle.jobName}`;
    await until(async () => (await core.listNamespacedPod({ namespace, labelSelector: selector })).items.some((p) => p.status?.phase === 'Running'), 'a running pod');
    await backend.cancel(handle);
    const outcome = await waiting;
    assert.equal(outcome.status, 'KILLED');
    assert.match(outcome.message!, /^Cancelled: Job .* deleted/);
    await until(() => batch.readNamespacedJob({ name: handle.jobName, namespace }).then(() => false, (e: { code?: number }) => e.code === 404), 'the Job to be gone');
    await until(async () => (await core.listNamespacedPod({ namespace, labelSelector: selector })).items.length === 0, 'the pods to be gone');
    await backend.cancel(handle); // again: NotFound is fine
  });

  it('resolves KILLED when someone else deletes the Job', { timeout: 60_000 }, async () => {
    const spec = launchSpec({ namespace });
    spec.env.CAIRN_FAKE_DURATION = '120s';
    const handle = jobOf(await backend.launch(spec));
    const waiting = backend.wait(handle, never());
    await new Promise((r) => setTimeout(r, 500));
    await batch.deleteNamespacedJob({ name: handle.jobName, namespace, propagationPolicy: 'Background' });
    const outcome = await waiting;
    assert.equal(outcome.status, 'KILLED');
    assert.match(outcome.message!, /was deleted before it finished/);
  });

  it('fills MLflow\'s job template and clones a git project in an init container', { timeout: 60_000 }, async () => {
    const jobTemplate = `
apiVersion: batch/v1
kind: Job
metadata:
  name: "{replaced with MLflow Project name}"
  namespace: ${namespace}
spec:
  ttlSecondsAfterFinished: 100
  backoffLimit: 0
  template:
    spec:
      containers:
      - name: "{replaced with MLflow Project name}"
        image: "{replaced with URI of Docker image created during Project execution}"
        command: ["{replaced with MLflow Project entry point command}"]
        env: ["{appended with MLFLOW_TRACKING_URI, MLFLOW_RUN_ID and MLFLOW_EXPERIMENT_ID}"]
        resources:
          limits:
            memory: 512Mi
      restartPolicy: Never
`;
    const spec = launchSpec({ jobTemplate }, { git: { url: 'https://git.example/repo.git', commit: 'abc123', subdirectory: 'sub' } });
    const handle = jobOf(await backend.launch(spec));
    const job = await batch.readNamespacedJob({ name: handle.jobName, namespace });
    const pod = job.spec!.template.spec!;
    assert.equal(job.spec?.ttlSecondsAfterFinished, 100);
    assert.equal(pod.containers[0].image, 'python:3.12-slim');
    assert.equal(pod.containers[0].env?.find((e) => e.name === 'MLFLOW_RUN_ID')?.value, spec.runId);
    assert.equal(pod.containers[0].workingDir, '/cairn/project/sub');
    assert.equal(pod.initContainers?.[0].image, 'alpine/git:2.47.2');
    assert.equal((await backend.wait(handle, never())).status, 'FINISHED');
  });

  it('turns API errors into clear messages', { timeout: 60_000 }, async () => {
    await assert.rejects(backend.launch(launchSpec({ namespace: 'cairn-no-such-namespace' })), /not found \(HTTP 404\): namespaces "cairn-no-such-namespace" not found/);
    await assert.rejects(
      backend.launch(launchSpec({ namespace, nodeSelector: { 'bad key!': 'x' } })),
      /Creating Kubernetes Job .*: invalid \(HTTP 422\): Job.batch "cairn-k8s-test-[0-9a-f]{8}" is invalid: .*nodeSelector/,
    );
    await assert.rejects(
      backend.launch(launchSpec({ namespace, resources: { limits: { cpu: 'lots' } } })),
      /Creating Kubernetes Job .*: (bad request \(HTTP 400\)|invalid \(HTTP 422\)): .*quantit/,
    );
    const unreachable = new KubernetesBackend({ kubeconfigPath: kubeconfigWithPort(kubeconfigPath(), 1), logger: quiet });
    await assert.rejects(unreachable.launch(launchSpec({ namespace })), /cannot reach the Kubernetes API server at https:\/\/127\.0\.0\.1:1: /);
  });

  it('launch is idempotent for the same run (a runner that crashed before saving the handle)', { timeout: 60_000 }, async () => {
    const spec = launchSpec({ namespace });
    const first = jobOf(await backend.launch(spec));
    const second = jobOf(await backend.launch(spec));
    assert.deepEqual(second, first);
    const other = { ...launchSpec({ namespace }), runId: `${spec.runId.slice(0, 8)}${'0'.repeat(24)}` };
    await assert.rejects(backend.launch(other), /conflict \(HTTP 409\)/);
    assert.equal((await backend.wait(first, never())).status, 'FINISHED');
  });

  it('keeps following a run while the API server goes away and comes back', { timeout: 60_000 }, async () => {
    const relay = ApiServerRelay.forKubeconfig(kubeconfigPath());
    await relay.start();
    const warnings: string[] = [];
    const viaRelay = new KubernetesBackend({
      kubeconfigPath: relay.kubeconfigThrough(kubeconfigPath()),
      logger: { log: () => undefined, warn: (m) => warnings.push(m) },
    });
    const spec = launchSpec({ namespace });
    spec.env.CAIRN_FAKE_DURATION = '6s';
    const handle = await viaRelay.launch(spec);
    const waiting = viaRelay.wait(handle, never());
    await until(async () => relay.openConnections >= 2, 'the watches to connect');
    await relay.cut(); // connections reset, new ones refused
    await new Promise((r) => setTimeout(r, 3000));
    await relay.start();
    const outcome = await waiting;
    assert.equal(outcome.status, 'FINISHED');
    assert.ok(warnings.length >= 2, `reconnects were logged: ${warnings.join(' | ')}`);
    assert.match(warnings[0], /watch of Job .* lost/);
    assert.ok(warnings.some((w) => /ECONNREFUSED/.test(w)), warnings.join(' | '));
    await relay.cut();
  });

  it('gives up on a watch that hangs (an API server that stops answering) and recovers', { timeout: 60_000 }, async () => {
    const relay = ApiServerRelay.forKubeconfig(kubeconfigPath());
    await relay.start();
    const warnings: string[] = [];
    const viaRelay = new KubernetesBackend({
      kubeconfigPath: relay.kubeconfigThrough(kubeconfigPath()),
      logger: { log: () => undefined, warn: (m) => warnings.push(m) },
      watchTimeoutSeconds: 2,
      requestTimeoutMs: 2000,
    });
    const spec = launchSpec({ namespace });
    spec.env.CAIRN_FAKE_DURATION = '12s';
    const handle = await viaRelay.launch(spec);
    const waiting = viaRelay.wait(handle, never());
    await until(async () => relay.openConnections >= 2, 'the watches to connect');
    relay.freeze();
    await new Promise((r) => setTimeout(r, 9000));
    relay.thaw();
    assert.equal((await waiting).status, 'FINISHED');
    assert.ok(warnings.some((w) => /the watch did not end 7 s after it started/.test(w)), warnings.join(' | '));
    await relay.cut();
  });

  it('re-watches when the server ends watches (short watch timeout) and still sees the end', { timeout: 60_000 }, async () => {
    const logs: string[] = [];
    const shortWatches = new KubernetesBackend({
      kubeconfigPath: kubeconfigPath(),
      logger: { log: (m) => logs.push(m), warn: (m) => logs.push(m) },
      watchTimeoutSeconds: 1,
    });
    const spec = launchSpec({ namespace });
    spec.env.CAIRN_FAKE_DURATION = '5s';
    const handle = await shortWatches.launch(spec);
    assert.equal((await shortWatches.wait(handle, never())).status, 'FINISHED');
    assert.ok(logs.filter((l) => /watch of Job .* ended; re-listing/.test(l)).length >= 2, logs.join('\n'));
  });
});
