import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { BatchV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { ProjectRun } from '@cairn/contracts';
import { httpClient } from '@cairn/testing';
import type { TestServer } from './test-server';
import { startTestServer } from './test-server';

// `--backend kubernetes` end to end: the gateway's project-runs API and `cairn run` on an
// all-in-one server whose runner submits Jobs to a real API server (scripts/k8s/cluster.sh: a
// kube-apiserver, controller-manager and scheduler built from k8s.io/kubernetes; kwok plays the
// node, so pods "run" without a container runtime: env CAIRN_FAKE_EXIT_CODE makes one fail,
// CAIRN_FAKE_DURATION makes it last, an image named *does-not-exist* cannot be pulled).
const PR = '/api/cairn/v1/project-runs';
const cli = path.resolve(__dirname, '../main.js');

const templateWithEnv = (env: Record<string, string>) => `apiVersion: batch/v1
kind: Job
metadata:
  name: "{replaced with MLflow Project name}"
spec:
  ttlSecondsAfterFinished: 600
  backoffLimit: 0
  template:
    spec:
      containers:
        - name: "{replaced with MLflow Project name}"
          image: "{replaced with URI of Docker image created during Project execution}"
          command: ["{replaced with MLflow Project entry point command}"]
          env:
${Object.entries(env)
  .map(([k, v]) => `            - name: ${k}\n              value: "${v}"`)
  .join('\n')}
      restartPolicy: Never
`;

describe('project runs on the Kubernetes backend (all-in-one + real API server)', () => {
  let server: TestServer;
  let api: ReturnType<typeof httpClient>;
  let work: string;
  let project: string;
  let batch: BatchV1Api;
  let core: CoreV1Api;
  const namespace = `cairn-aio-${randomBytes(3).toString('hex')}`;

  const ok = async (method: string, p: string, body?: unknown) => {
    const res = await api.send(method, p, body);
    assert.equal(res.status, 200, `${method} ${p}: ${res.text}`);
    return res.json as any;
  };
  const submit = async (body: Record<string, unknown>): Promise<ProjectRun> => (await ok('POST', PR, { uri: project, backend: 'kubernetes', ...body })).project_run;
  const get = async (id: string): Promise<ProjectRun> => (await ok('GET', `${PR}/${id}`)).project_run;
  const ended = async (id: string, timeoutMs = 90_000): Promise<ProjectRun> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = await get(id);
      if (['FINISHED', 'FAILED', 'KILLED'].includes(run.status)) return run;
      if (Date.now() > deadline) assert.fail(`run ${id} still ${run.status}: ${JSON.stringify(run)}`);
      await sleep(200);
    }
  };
  const trackingRun = async (id: string) => (await ok('GET', `/api/2.0/mlflow/runs/get?run_id=${id}`)).run;
  const tagsOf = (run: any): Record<string, string> => Object.fromEntries((run.data.tags ?? []).map((t: any) => [t.key, t.value]));
  const jobsOf = async (runId: string) =>
    (await batch.listNamespacedJob({ namespace, labelSelector: `cairn.dev/run-id=${runId}` })).items;

  before(async () => {
    const kc = new KubeConfig();
    kc.loadFromDefault();
    batch = kc.makeApiClient(BatchV1Api);
    core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    for (let i = 0; i < 100; i++) {
      const ready = await core.readNamespacedServiceAccount({ name: 'default', namespace }).then(() => true, () => false);
      if (ready) break;
      await sleep(100);
    }
    server = await startTestServer();
    api = httpClient(server.url);
    work = await mkdtemp(path.join(tmpdir(), 'cairn-k8s-project-'));
    project = path.join(work, 'wine');
    await import('node:fs/promises').then((fs) => fs.mkdir(project));
    await writeFile(
      path.join(project, 'MLproject'),
      'name: k8s_wine\ndocker_env:\n  image: python:3.11-slim\nentry_points:\n  main:\n    parameters:\n      alpha: {type: float, default: 0.5}\n    command: "python train.py --alpha {alpha}"\n',
    );
  });
  after(async () => {
    await server?.stop();
    await core?.deleteNamespace({ name: namespace }).catch(() => undefined);
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('submits a Job with the run in its spec, follows it to FINISHED and closes the tracking run', async () => {
    const submitted = await submit({
      parameters: { alpha: '0.25' },
      backend_config: { namespace, backoffLimit: 0, ttlSecondsAfterFinished: 600, resources: { limits: { cpu: '500m', memory: '256Mi' } }, nodeSelector: { 'kubernetes.io/os': 'linux' } },
    });
    const run = await ended(submitted.run_id);
    assert.equal(run.status, 'FINISHED', JSON.stringify(run));
    assert.match(run.backend_handle ?? '', new RegExp(`^${namespace}/cairn-k8s-wine-`));

    const [job] = await jobsOf(run.run_id);
    assert.ok(job, 'the Job exists (kept for ttlSecondsAfterFinished)');
    assert.equal(job.spec?.backoffLimit, 0);
    assert.equal(job.spec?.ttlSecondsAfterFinished, 600);
    const container = job.spec!.template.spec!.containers[0];
    assert.equal(container.image, 'python:3.11-slim');
    assert.ok(container.command!.join(' ').includes('train.py') && container.command!.join(' ').includes('0.25'), container.command!.join(' '));
    const env = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value]));
    assert.equal(env.MLFLOW_RUN_ID, run.run_id);
    assert.equal(env.MLFLOW_EXPERIMENT_ID, run.experiment_id);
    assert.equal(container.resources?.limits?.cpu, '500m');
    assert.equal(job.spec!.template.spec!.nodeSelector?.['kubernetes.io/os'], 'linux');

    const tracked = await trackingRun(run.run_id);
    assert.equal(tracked.info.status, 'FINISHED');
    assert.equal(tagsOf(tracked)['mlflow.project.backend'], 'kubernetes');
    assert.equal(tagsOf(tracked)['mlflow.docker.image.uri'], 'python:3.11-slim');
    const logs = (await ok('GET', `${PR}/${run.run_id}/logs`)).logs;
    assert.ok(logs.length > 0, 'the pod log is served');
  });

  it("a failing pod (MLflow's job template) ends FAILED with the container's exit code", async () => {
    const run = await ended((await submit({ backend_config: { namespace, jobTemplate: templateWithEnv({ CAIRN_FAKE_EXIT_CODE: '2' }) } })).run_id);
    assert.equal(run.status, 'FAILED', JSON.stringify(run));
    assert.equal(run.exit_code, 2);
    assert.equal((await trackingRun(run.run_id)).info.status, 'FAILED');
  });

  it('an image that cannot be pulled ends FAILED with the reason, not stuck RUNNING', async () => {
    const run = await ended((await submit({ backend_config: { namespace, image: 'registry.invalid/does-not-exist:1', imagePullGraceSeconds: 2 } })).run_id);
    assert.equal(run.status, 'FAILED');
    assert.match(run.message ?? '', /ErrImagePull|ImagePullBackOff/);
    assert.match(run.message ?? '', /does-not-exist/);
    assert.equal((await trackingRun(run.run_id)).info.status, 'FAILED');
  });

  it('cancel deletes the Job and the run ends KILLED', async () => {
    const submitted = await submit({ backend_config: { namespace, jobTemplate: templateWithEnv({ CAIRN_FAKE_DURATION: '300s' }) } });
    for (let i = 0; i < 100 && (await jobsOf(submitted.run_id)).length === 0; i++) await sleep(100);
    assert.equal((await jobsOf(submitted.run_id)).length, 1);
    await ok('POST', `${PR}/${submitted.run_id}/cancel`);
    const run = await ended(submitted.run_id);
    assert.equal(run.status, 'KILLED');
    assert.equal((await trackingRun(run.run_id)).info.status, 'KILLED');
    for (let i = 0; i < 100 && (await jobsOf(run.run_id)).length > 0; i++) await sleep(100);
    assert.equal((await jobsOf(run.run_id)).length, 0, 'the Job is gone');
  });

  it('sweeps on Kubernetes: child Jobs at most --parallel at a time, through the cairn CLI', async () => {
    const config = path.join(work, 'k8s.json');
    await writeFile(config, JSON.stringify({ namespace, 'repository-uri': 'python:3.11-slim' }));
    const { code, stderr } = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [cli, 'run', project, '-b', 'kubernetes', '-c', config, '--sweep', 'alpha=0.1,0.2,0.3', '--parallel', '2', '--tracking-uri', server.url],
        { timeout: 120_000 },
        (err, _stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stderr }),
      );
    });
    assert.equal(code, 0, stderr);
    const parentId = /=== Sweep ([0-9a-f]{32})/.exec(stderr)![1];
    const parent = await get(parentId);
    assert.equal(parent.status, 'FINISHED');
    assert.equal(parent.child_run_ids?.length, 3);
    for (const id of parent.child_run_ids!) {
      assert.equal((await get(id)).status, 'FINISHED');
      assert.equal(tagsOf(await trackingRun(id))['mlflow.parentRunId'], parentId);
    }
  });
});
