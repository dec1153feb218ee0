/**
 * The project runner's contract: MLproject runs submitted through the gateway
 * (`/api/cairn/v1/project-runs`) or the `cairn run` CLI, executed on a backend.
 */
export const PROJECT_RUN_BACKENDS = ['local', 'kubernetes'] as const;
export type ProjectRunBackend = (typeof PROJECT_RUN_BACKENDS)[number];

/** MLflow's `--env-manager` values that Cairn supports (conda and uv are refused with a clear message). */
export const ENV_MANAGERS = ['local', 'virtualenv'] as const;
export type EnvManager = (typeof ENV_MANAGERS)[number];

/** QUEUED waits for a sweep slot; the others are MLflow's run statuses. */
export const PROJECT_RUN_STATUSES = ['QUEUED', 'RUNNING', 'FINISHED', 'FAILED', 'KILLED'] as const;
export type ProjectRunStatus = (typeof PROJECT_RUN_STATUSES)[number];
export const TERMINAL_PROJECT_RUN_STATUSES: readonly ProjectRunStatus[] = ['FINISHED', 'FAILED', 'KILLED'];

/**
 * `--backend-config` for `kubernetes`. MLflow's keys (`kube-context`, `repository-uri`,
 * `kube-job-template-path`) are accepted by the CLI, which reads the template file itself and sends
 * its text: the server never opens a path a client chose.
 */
export interface KubernetesBackendConfig {
  /** Container image; defaults to the project's `docker_env.image`. MLflow's `repository-uri` maps here. */
  image?: string;
  namespace?: string;
  serviceAccountName?: string;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  nodeSelector?: Record<string, string>;
  tolerations?: Record<string, unknown>[];
  ttlSecondsAfterFinished?: number;
  backoffLimit?: number;
  activeDeadlineSeconds?: number;
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  /** MLflow's `kube-job-template-path` contents (YAML), as MLflow fills it: name, image, command, env. */
  jobTemplate?: string;
  /** The tracking URI pods use (default: the runner's); it must be reachable from inside the cluster. */
  trackingUri?: string;
  /** Where the project lives inside the image when it is not cloned from git (default: the image's workdir). */
  projectDir?: string;
  /** Image with `git` that clones a git project into the pod (default `alpine/git:2.47.2`). */
  gitImage?: string;
  /** How long a pod may fail to pull its image before the run is FAILED (default 120 s). */
  imagePullGraceSeconds?: number;
  /** kubeconfig context to use (MLflow's `kube-context`); the runner's default when absent. */
  kubeContext?: string;
}

export interface SubmitProjectRunRequest {
  /** A git URI (`https://…/repo.git#sub/dir`, `file:///…/repo.git`) or, where the server allows it, a local directory. */
  uri: string;
  /** Git commit, branch or tag. */
  version?: string;
  entry_point?: string;
  parameters?: Record<string, string>;
  experiment_id?: string;
  experiment_name?: string;
  run_name?: string;
  backend?: ProjectRunBackend;
  backend_config?: KubernetesBackendConfig;
  env_manager?: EnvManager;
  /** A grid: each key's values are combined with every other key's; children run under one parent run. */
  sweep?: Record<string, string[]>;
  /** At most this many sweep children at a time (default 1). */
  max_parallel?: number;
  /** Recorded as `mlflow.user`. */
  user?: string;
}

export interface ProjectRun {
  run_id: string;
  parent_run_id?: string;
  experiment_id: string;
  status: ProjectRunStatus;
  backend: ProjectRunBackend;
  uri: string;
  version?: string;
  entry_point: string;
  parameters: Record<string, string>;
  /** The shell command, as computed from the MLproject (absent for a sweep's parent). */
  command?: string;
  exit_code?: number;
  /** Why the run ended as it did, or what it waits for. */
  message?: string;
  /** For a sweep's parent: its children's run ids, in grid order. */
  child_run_ids?: string[];
  /** Where the backend runs it: `pid` locally, `namespace/job` on Kubernetes. */
  backend_handle?: string;
  attempts: number;
  created_at: number;
  started_at?: number;
  finished_at?: number;
}

export interface ProjectRunResponse {
  project_run: ProjectRun;
}

export interface ProjectRunIdRequest {
  run_id: string;
}

export interface ProjectRunLogsRequest {
  run_id: string;
  /** Byte offset to continue from (what the previous call returned as `next_offset`). */
  offset?: number;
}

export interface ProjectRunLogsResponse {
  logs: string;
  next_offset: number;
  /** The run has ended and no more output will come. */
  complete: boolean;
}

export interface ListProjectRunsRequest {
  max_results?: number;
  page_token?: string;
}

export interface ListProjectRunsResponse {
  project_runs: ProjectRun[];
  next_page_token?: string;
}

/** Message patterns served by project-runner: `runner.<aggregate>.<verb>.v1`. */
export const RunnerPatterns = {
  submit: 'runner.project-runs.submit.v1',
  get: 'runner.project-runs.get.v1',
  list: 'runner.project-runs.list.v1',
  logs: 'runner.project-runs.logs.v1',
  cancel: 'runner.project-runs.cancel.v1',
} as const;
