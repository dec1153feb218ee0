import path from 'node:path';
import type { V1Container, V1EnvVar, V1Job, V1JobSpec, V1PodSpec } from '@kubernetes/client-node';
import { parse as parseYaml } from 'yaml';
import type { KubernetesBackendConfig } from '@cairn/contracts';
import { kubernetesRunCommand } from '@cairn/mlproject';
import type { LaunchSpec } from '../backend';
import {
  DEFAULT_IMAGE_PULL_GRACE_SECONDS,
  JOB_NAME_POD_LABEL,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  PULL_GRACE_ANNOTATION,
  RUN_ID_LABEL,
  containerNameFor,
  jobNameFor,
} from './names';

export const DEFAULT_GIT_IMAGE = 'alpine/git:2.47.2';
export const DEFAULT_NAMESPACE = 'default';
/** Where a git project is cloned inside the pod (an emptyDir shared by the init and main containers). */
export const PROJECT_MOUNT = '/cairn/project';
const PROJECT_VOLUME = 'cairn-project';
export const GIT_CLONE_CONTAINER = 'git-clone';
// The URL and commit reach the shell as variables, never spliced into the script.
const GIT_CLONE_SCRIPT =
  'set -e; git clone --quiet -- "$CAIRN_GIT_URL" "$CAIRN_PROJECT_DIR"; ' +
  'git -C "$CAIRN_PROJECT_DIR" -c advice.detachedHead=false checkout --quiet "$CAIRN_GIT_COMMIT"';

export class JobSpecError extends Error {}

export interface BuiltJob {
  namespace: string;
  jobName: string;
  job: V1Job;
}

/**
 * The `batch/v1` Job for one run: Cairn's own spec from the backend config, or MLflow's
 * `kube-job-template-path` template filled as MLflow's `_get_kubernetes_job_definition` fills it.
 * Objects use the API's JSON field names (they coincide with the client's for everything here).
 */
export function buildJob(spec: LaunchSpec): BuiltJob {
  const config = spec.kubernetes ?? {};
  const jobName = jobNameFor(spec.projectName, spec.runId);
  const labels = { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [RUN_ID_LABEL]: spec.runId };
  const main: V1Container = {
    name: containerNameFor(spec.projectName),
    image: imageFor(spec, config),
    command: kubernetesRunCommand([spec.command]),
    env: envFor(spec, config),
  };
  return config.jobTemplate !== undefined
    ? fromTemplate(config, jobName, labels, main, spec.git)
    : builtIn(config, jobName, labels, main, spec.git);
}

function annotationsFor(config: KubernetesBackendConfig): Record<string, string> {
  const grace = config.imagePullGraceSeconds ?? DEFAULT_IMAGE_PULL_GRACE_SECONDS;
  if (!Number.isFinite(grace) || grace < 0) throw new JobSpecError(`imagePullGraceSeconds must be a number >= 0, not ${grace}`);
  return { [PULL_GRACE_ANNOTATION]: String(grace) };
}

function imageFor(spec: LaunchSpec, config: KubernetesBackendConfig): string {
  const image = config.image ?? spec.dockerImage;
  if (!image) {
    throw new JobSpecError(
      'The Kubernetes backend needs a container image: set "image" in the backend config ' +
        '(MLflow\'s "repository-uri") or docker_env.image in the MLproject',
    );
  }
  return image;
}

/** The run's environment; `trackingUri` replaces MLFLOW_TRACKING_URI (MLflow's KUBE_MLFLOW_TRACKING_URI). */
function envFor(spec: LaunchSpec, config: KubernetesBackendConfig): V1EnvVar[] {
  const env = { ...spec.env };
  if (config.trackingUri) env.MLFLOW_TRACKING_URI = config.trackingUri;
  return Object.entries(env).map(([name, value]) => ({ name, value }));
}

function builtIn(
  config: KubernetesBackendConfig,
  jobName: string,
  labels: Record<string, string>,
  main: V1Container,
  git: LaunchSpec['git'],
): BuiltJob {
  const namespace = config.namespace ?? DEFAULT_NAMESPACE;
  const container: V1Container = {
    ...main,
    ...(config.imagePullPolicy && { imagePullPolicy: config.imagePullPolicy }),
    ...(config.resources && { resources: config.resources }),
  };
  const podSpec: V1PodSpec = {
    restartPolicy: 'Never',
    containers: [container],
    ...(config.serviceAccountName && { serviceAccountName: config.serviceAccountName }),
    ...(config.nodeSelector && { nodeSelector: config.nodeSelector }),
    ...(config.tolerations && { tolerations: config.tolerations as V1PodSpec['tolerations'] }),
  };
  placeProject(podSpec, config, git);
  const job: V1Job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: jobName, namespace, labels: { ...labels }, annotations: annotationsFor(config) },
    spec: {
      backoffLimit: config.backoffLimit ?? 0,
      ...(config.ttlSecondsAfterFinished !== undefined && { ttlSecondsAfterFinished: config.ttlSecondsAfterFinished }),
      ...(config.activeDeadlineSeconds !== undefined && { activeDeadlineSeconds: config.activeDeadlineSeconds }),
      template: { metadata: { labels: { ...labels } }, spec: podSpec },
    },
  };
  return { namespace, jobName, job };
}

/**
 * MLflow fills the template's `metadata.name`, the first container's `name`, `image` and
 * `command`, and appends the run's variables to its `env`. Beyond MLflow: placeholder strings in
 * `env` (its documented example has one, which the API server would reject) are dropped; Cairn's
 * labels are added; keys set in the backend config override the template's; `backoffLimit`
 * defaults to 0 and `restartPolicy` to Never; a git project is cloned into the pod as in the
 * built-in spec.
 */
function fromTemplate(
  config: KubernetesBackendConfig,
  jobName: string,
  labels: Record<string, string>,
  main: V1Container,
  git: LaunchSpec['git'],
): BuiltJob {
  const { job, jobSpec, podSpec } = parseTemplate(config.jobTemplate ?? '');
  const metadata = (job.metadata ??= {});
  const namespace = templateNamespace(metadata.namespace, config.namespace);
  metadata.name = jobName;
  metadata.namespace = namespace;
  metadata.labels = { ...metadata.labels, ...labels };
  metadata.annotations = { ...metadata.annotations, ...annotationsFor(config) };
  const template = jobSpec.template;
  template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, ...labels } };
  const first = podSpec.containers[0];
  first.name = main.name;
  first.image = main.image;
  first.command = main.command;
  first.env = [...(first.env ?? []).filter((e) => typeof e === 'object' && e !== null), ...(main.env ?? [])];
  if (config.imagePullPolicy) first.imagePullPolicy = config.imagePullPolicy;
  if (config.resources) first.resources = config.resources;
  podSpec.restartPolicy ??= 'Never';
  if (config.serviceAccountName) podSpec.serviceAccountName = config.serviceAccountName;
  if (config.nodeSelector) podSpec.nodeSelector = config.nodeSelector;
  if (config.tolerations) podSpec.tolerations = config.tolerations as V1PodSpec['tolerations'];
  jobSpec.backoffLimit = config.backoffLimit ?? jobSpec.backoffLimit ?? 0;
  if (config.ttlSecondsAfterFinished !== undefined) jobSpec.ttlSecondsAfterFinished = config.ttlSecondsAfterFinished;
  if (config.activeDeadlineSeconds !== undefined) jobSpec.activeDeadlineSeconds = config.activeDeadlineSeconds;
  placeProject(podSpec, config, git);
  return { namespace, jobName, job };
}

function parseTemplate(text: string): { job: V1Job; jobSpec: V1JobSpec; podSpec: V1PodSpec } {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new JobSpecError(`Kubernetes job template is not valid YAML: ${(e as Error).message}`);
  }
  if (!isObject(doc)) throw new JobSpecError('Kubernetes job template must be a YAML mapping (a batch/v1 Job)');
  const job = doc as V1Job;
  if (job.kind !== undefined && job.kind !== 'Job') {
    throw new JobSpecError(`Kubernetes job template must be a Job, not ${String(job.kind)}`);
  }
  const jobSpec = job.spec;
  const podSpec = jobSpec?.template?.spec;
  if (!jobSpec || !podSpec || !Array.isArray(podSpec.containers) || !isObject(podSpec.containers[0])) {
    throw new JobSpecError('Kubernetes job template needs at least one container in spec.template.spec.containers');
  }
  if (job.metadata !== undefined && !isObject(job.metadata)) {
    throw new JobSpecError('Kubernetes job template: metadata must be a mapping');
  }
  job.apiVersion ??= 'batch/v1';
  job.kind ??= 'Job';
  return { job, jobSpec, podSpec };
}

function templateNamespace(fromTemplate: string | undefined, fromConfig: string | undefined): string {
  if (fromTemplate && fromConfig && fromTemplate !== fromConfig) {
    throw new JobSpecError(
      `Kubernetes job template's namespace "${fromTemplate}" differs from the backend config's "${fromConfig}": set one`,
    );
  }
  return fromTemplate || fromConfig || DEFAULT_NAMESPACE;
}

/**
 * A git project is cloned by an init container into an emptyDir that the main container works in;
 * otherwise the project is expected inside the image (at `projectDir` when given).
 */
function placeProject(podSpec: V1PodSpec, config: KubernetesBackendConfig, git: LaunchSpec['git']): void {
  const main = podSpec.containers[0];
  if (!git) {
    if (config.projectDir) main.workingDir = config.projectDir;
    return;
  }
  const subdirectory = path.posix.normalize(git.subdirectory || '.');
  if (path.posix.isAbsolute(subdirectory) || subdirectory === '..' || subdirectory.startsWith('../')) {
    throw new JobSpecError(`Project subdirectory "${git.subdirectory}" must stay inside the project`);
  }
  const mount = { name: PROJECT_VOLUME, mountPath: PROJECT_MOUNT };
  podSpec.volumes = [...(podSpec.volumes ?? []), { name: PROJECT_VOLUME, emptyDir: {} }];
  podSpec.initContainers = [
    ...(podSpec.initContainers ?? []),
    {
      name: GIT_CLONE_CONTAINER,
      image: config.gitImage ?? DEFAULT_GIT_IMAGE,
      command: ['sh', '-c', GIT_CLONE_SCRIPT],
      env: [
        { name: 'CAIRN_GIT_URL', value: git.url },
        { name: 'CAIRN_GIT_COMMIT', value: git.commit },
        { name: 'CAIRN_PROJECT_DIR', value: PROJECT_MOUNT },
      ],
      volumeMounts: [mount],
    },
  ];
  main.volumeMounts = [...(main.volumeMounts ?? []), mount];
  main.workingDir = path.posix.join(PROJECT_MOUNT, subdirectory);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The label selector for a Job's pods. */
export const podSelectorFor = (jobName: string): string => `${JOB_NAME_POD_LABEL}=${jobName}`;
