import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubernetesBackendConfig } from '@cairn/contracts';
import type { LaunchSpec } from '../backend';
import { JobSpecError, buildJob } from './job-spec';

const RUN_ID = '5f0c3a9e8b7d4c21a0f1e2d3c4b5a697';

function launchSpec(kubernetes: KubernetesBackendConfig = {}, extra: Partial<LaunchSpec> = {}): LaunchSpec {
  return {
    runId: RUN_ID,
    experimentId: '7',
    projectName: 'Wine Quality',
    command: "python train.py --alpha 0.5 --name 'a b'",
    env: { MLFLOW_RUN_ID: RUN_ID, MLFLOW_TRACKING_URI: 'http://127.0.0.1:5000', MLFLOW_EXPERIMENT_ID: '7' },
    projectDir: '/tmp/project',
    logPath: '/tmp/log',
    dockerImage: 'python:3.12-slim',
    kubernetes,
    ...extra,
  };
}

const LABELS = { 'app.kubernetes.io/managed-by': 'cairn', 'cairn.dev/run-id': RUN_ID };

describe('buildJob (built-in spec)', () => {
  it('builds a one-attempt batch/v1 Job from the run and the backend config', () => {
    const { namespace, jobName, job } = buildJob(
      launchSpec({
        namespace: 'ml',
        serviceAccountName: 'trainer',
        resources: { requests: { cpu: '500m' }, limits: { memory: '1Gi' } },
        nodeSelector: { pool: 'gpu' },
        tolerations: [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }],
        ttlSecondsAfterFinished: 600,
        activeDeadlineSeconds: 3600,
        imagePullPolicy: 'IfNotPresent',
        trackingUri: 'http://cairn.cairn.svc:5000',
        projectDir: '/app',
        imagePullGraceSeconds: 30,
      }),
    );
    assert.equal(namespace, 'ml');
    assert.equal(jobName, 'cairn-wine-quality-5f0c3a9e');
    assert.deepEqual(job, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: 'cairn-wine-quality-5f0c3a9e',
        namespace: 'ml',
        labels: LABELS,
        annotations: { 'cairn.dev/image-pull-grace-seconds': '30' },
      },
      spec: {
        backoffLimit: 0,
        ttlSecondsAfterFinished: 600,
        activeDeadlineSeconds: 3600,
        template: {
          metadata: { labels: LABELS },
          spec: {
            restartPolicy: 'Never',
            serviceAccountName: 'trainer',
            nodeSelector: { pool: 'gpu' },
            tolerations: [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }],
            containers: [
              {
                name: 'wine-quality',
                image: 'python:3.12-slim',
                // MLflow's _get_run_command: shlex.split, then shlex.quote each token again.
                command: ['python', 'train.py', '--alpha', '0.5', '--name', "'a b'"],
                env: [
                  { name: 'MLFLOW_RUN_ID', value: RUN_ID },
                  { name: 'MLFLOW_TRACKING_URI', value: 'http://cairn.cairn.svc:5000' },
                  { name: 'MLFLOW_EXPERIMENT_ID', value: '7' },
                ],
                imagePullPolicy: 'IfNotPresent',
                resources: { requests: { cpu: '500m' }, limits: { memory: '1Gi' } },
                workingDir: '/app',
              },
            ],
          },
        },
      },
    });
  });

  it('defaults: namespace "default", backoffLimit 0, the docker_env image, the runner\'s tracking URI, 120 s grace', () => {
    const { namespace, job } = buildJob(launchSpec());
    assert.equal(namespace, 'default');
    assert.equal(job.spec?.backoffLimit, 0);
    assert.equal(job.metadata?.annotations?.['cairn.dev/image-pull-grace-seconds'], '120');
    const [c] = job.spec!.template.spec!.containers;
    assert.equal(c.image, 'python:3.12-slim');
    assert.equal(c.workingDir, undefined);
    assert.equal(c.env?.find((e) => e.name === 'MLFLOW_TRACKING_URI')?.value, 'http://127.0.0.1:5000');
    assert.equal(job.spec?.ttlSecondsAfterFinished, undefined);
    assert.equal(job.spec!.template.spec!.serviceAccountName, undefined);
  });

  it('prefers the config image over docker_env and refuses a run with neither', () => {
    assert.equal(buildJob(launchSpec({ image: 'registry/x:1' })).job.spec!.template.spec!.containers[0].image, 'registry/x:1');
    assert.throws(() => buildJob(launchSpec({}, { dockerImage: undefined })), (e: unknown) => {
      assert.ok(e instanceof JobSpecError);
      assert.match(e.message, /needs a container image: set "image" in the backend config .* or docker_env\.image/);
      return true;
    });
  });

  it('clones a git project in an init container and works in its subdirectory', () => {
    const git = { url: 'https://example.com/repo.git', commit: '0123abcd', subdirectory: 'examples/wine' };
    const pod = buildJob(launchSpec({ gitImage: 'my/git:1', projectDir: '/ignored' }, { git })).job.spec!.template.spec!;
    assert.deepEqual(pod.volumes, [{ name: 'cairn-project', emptyDir: {} }]);
    assert.equal(pod.initContainers?.length, 1);
    const init = pod.initContainers![0];
    assert.equal(init.name, 'git-clone');
    assert.equal(init.image, 'my/git:1');
    assert.deepEqual(init.command?.slice(0, 2), ['sh', '-c']);
    assert.ok(!init.command![2].includes('example.com'), 'the URL is passed as a variable, not in the script');
    assert.deepEqual(init.env, [
      { name: 'CAIRN_GIT_URL', value: git.url },
      { name: 'CAIRN_GIT_COMMIT', value: git.commit },
      { name: 'CAIRN_PROJECT_DIR', value: '/cairn/project' },
    ]);
    assert.deepEqual(init.volumeMounts, [{ name: 'cairn-project', mountPath: '/cairn/project' }]);
    const main = pod.containers[0];
    assert.deepEqual(main.volumeMounts, [{ name: 'cairn-project', mountPath: '/cairn/project' }]);
    assert.equal(main.workingDir, '/cairn/project/examples/wine');
    assert.equal(buildJob(launchSpec({}, { git: { ...git, subdirectory: '' } })).job.spec!.template.spec!.containers[0].workingDir, '/cairn/project');
    assert.equal(
      buildJob(launchSpec({}, { git })).job.spec!.template.spec!.initContainers![0].image,
      'alpine/git:2.47.2',
    );
  });

  it('refuses a subdirectory that leaves the project, and a negative grace', () => {
    for (const subdirectory of ['../x', '/etc', 'a/../../b']) {
      assert.throws(() => buildJob(launchSpec({}, { git: { url: 'u', commit: 'c', subdirectory } })), JobSpecError);
    }
    assert.throws(() => buildJob(launchSpec({ imagePullGraceSeconds: -1 })), /imagePullGraceSeconds/);
  });
});

// MLflow's documented example template (docs/projects: "Example Kubernetes Job Spec").
const MLFLOW_TEMPLATE = `
apiVersion: batch/v1
kind: Job
metadata:
  name: "{replaced with MLflow Project name}"
  namespace: mlflow
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
          requests:
            memory: 256Mi
      - name: sidecar
        image: busybox
      restartPolicy: Never
`;

describe('buildJob (MLflow job template)', () => {
  it('fills name, the first container\'s name, image and command, and appends the env, as MLflow does', () => {
    const { namespace, jobName, job } = buildJob(launchSpec({ jobTemplate: MLFLOW_TEMPLATE }));
    assert.equal(namespace, 'mlflow');
    assert.equal(job.metadata?.name, jobName);
    assert.equal(job.metadata?.namespace, 'mlflow');
    assert.deepEqual(job.metadata?.labels, LABELS);
    assert.equal(job.spec?.ttlSecondsAfterFinished, 100);
    const pod = job.spec!.template.spec!;
    assert.equal(pod.restartPolicy, 'Never');
    const [first, sidecar] = pod.containers;
    assert.equal(first.name, 'wine-quality');
    assert.equal(first.image, 'python:3.12-slim');
    assert.deepEqual(first.command, ['python', 'train.py', '--alpha', '0.5', '--name', "'a b'"]);
    // The placeholder string is dropped (the API server would reject it); the run's variables follow.
    assert.deepEqual(first.env, [
      { name: 'MLFLOW_RUN_ID', value: RUN_ID },
      { name: 'MLFLOW_TRACKING_URI', value: 'http://127.0.0.1:5000' },
      { name: 'MLFLOW_EXPERIMENT_ID', value: '7' },
    ]);
    assert.deepEqual(first.resources, { limits: { memory: '512Mi' }, requests: { memory: '256Mi' } });
    assert.deepEqual(sidecar, { name: 'sidecar', image: 'busybox' }, 'later containers are left alone');
    assert.deepEqual(job.spec?.template.metadata?.labels, LABELS);
  });

  it('keeps the template\'s own env entries before the run\'s', () => {
    const template = MLFLOW_TEMPLATE.replace(/env: \[.*\]/, 'env: [{name: A, value: "1"}]');
    const env = buildJob(launchSpec({ jobTemplate: template, trackingUri: 'http://cairn:5000' })).job.spec!.template.spec!.containers[0].env!;
    assert.deepEqual(env.map((e) => `${e.name}=${e.value}`), ['A=1', `MLFLOW_RUN_ID=${RUN_ID}`, 'MLFLOW_TRACKING_URI=http://cairn:5000', 'MLFLOW_EXPERIMENT_ID=7']);
  });

  it('lets config keys override the template and fills MLflow\'s omissions', () => {
    const minimal = 'spec:\n  template:\n    spec:\n      containers:\n      - name: x\n';
    const { namespace, job } = buildJob(launchSpec({ jobTemplate: minimal, namespace: 'team', serviceAccountName: 'sa', backoffLimit: 2 }));
    assert.equal(namespace, 'team');
    assert.equal(job.apiVersion, 'batch/v1');
    assert.equal(job.kind, 'Job');
    assert.equal(job.spec?.backoffLimit, 2);
    assert.equal(job.spec!.template.spec!.restartPolicy, 'Never');
    assert.equal(job.spec!.template.spec!.serviceAccountName, 'sa');
    assert.equal(buildJob(launchSpec({ jobTemplate: minimal })).job.spec?.backoffLimit, 0);
    assert.equal(buildJob(launchSpec({ jobTemplate: minimal })).namespace, 'default');
  });

  it('clones a git project into the template\'s pod too', () => {
    const git = { url: 'https://example.com/repo.git', commit: 'abc', subdirectory: 'sub' };
    const pod = buildJob(launchSpec({ jobTemplate: MLFLOW_TEMPLATE }, { git })).job.spec!.template.spec!;
    assert.equal(pod.initContainers?.[0].name, 'git-clone');
    assert.equal(pod.containers[0].workingDir, '/cairn/project/sub');
    assert.equal(pod.containers[1].workingDir, undefined);
  });

  it('says what is wrong with a bad template', () => {
    const bad: [string, RegExp][] = [
      ['a: [', /not valid YAML/],
      ['- 1\n- 2', /must be a YAML mapping/],
      ['kind: Deployment\nspec: {template: {spec: {containers: [{name: a}]}}}', /must be a Job, not Deployment/],
      ['kind: Job\nspec: {template: {spec: {containers: []}}}', /at least one container/],
      ['kind: Job', /at least one container/],
    ];
    for (const [text, message] of bad) {
      assert.throws(() => buildJob(launchSpec({ jobTemplate: text })), (e: unknown) => e instanceof JobSpecError && message.test(e.message), text);
    }
    assert.throws(() => buildJob(launchSpec({ jobTemplate: MLFLOW_TEMPLATE, namespace: 'other' })), /namespace "mlflow" differs from the backend config's "other"/);
  });
});
