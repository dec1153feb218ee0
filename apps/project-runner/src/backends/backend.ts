import type { KubernetesBackendConfig, ProjectRunBackend } from '@cairn/contracts';

/** Everything a backend needs to start one run; computed by the runner from the MLproject. */
export interface LaunchSpec {
  runId: string;
  experimentId: string;
  /** The project's name from MLproject (used to name Kubernetes Jobs), or null. */
  projectName: string | null;
  /** The shell command (`bash -c`), exactly as MLflow computes it, without environment activation. */
  command: string;
  /** MLFLOW_RUN_ID, MLFLOW_TRACKING_URI, MLFLOW_EXPERIMENT_ID and anything the project adds. */
  env: Record<string, string>;
  /** The fetched project on the runner's disk (the local backend runs here). */
  projectDir: string;
  /** A virtualenv to activate before the command (local backend, env manager `virtualenv`). */
  activate?: string;
  /** Where the local backend writes the process's stdout and stderr. */
  logPath: string;
  /** Git origin of the project, so a pod can clone the same commit (Kubernetes backend). */
  git?: { url: string; commit: string; subdirectory: string };
  /** `docker_env.image` of the MLproject, if any. */
  dockerImage?: string;
  kubernetes?: KubernetesBackendConfig;
}

/** Where a started run lives; persisted, so a restarted runner can re-attach. */
export type BackendHandle =
  | { backend: 'local'; pid: number; startedAt: number }
  | { backend: 'kubernetes'; namespace: string; jobName: string; context?: string };

export interface RunOutcome {
  status: 'FINISHED' | 'FAILED' | 'KILLED';
  exitCode?: number;
  message?: string;
}

export interface LogChunk {
  data: string;
  nextOffset: number;
}

export interface ProjectBackend {
  readonly name: ProjectRunBackend;
  /** Starts the run and returns as soon as the backend accepted it. */
  launch(spec: LaunchSpec): Promise<BackendHandle>;
  /**
   * Resolves with the run's outcome once it ends. Works from a persisted handle alone (re-attach
   * after a restart). Rejects only when `signal` aborts.
   */
  wait(handle: BackendHandle, signal: AbortSignal, spec?: { logPath: string }): Promise<RunOutcome>;
  /** Output from `offset` (bytes) on. */
  logs(handle: BackendHandle, offset: number, spec: { logPath: string }): Promise<LogChunk>;
  /** Stops the run (kills the process tree / deletes the Job); `wait` then resolves KILLED. */
  cancel(handle: BackendHandle): Promise<void>;
}

export const describeHandle = (h: BackendHandle): string =>
  h.backend === 'local' ? `pid ${h.pid}` : `${h.namespace}/${h.jobName}`;
