import path from 'node:path';
import { z } from 'zod';
import type { Env } from './read-env';
import { ConfigError, readEnv } from './read-env';

export interface RunnerSettings {
  /** Logs, fetched projects and cached virtualenvs live here. */
  readonly stateDir: string;
  /** `MLFLOW_TRACKING_URI` for the runs it starts, and where the runner itself logs their params and status. */
  readonly trackingUri: string;
  /**
   * Whether a submission may name a directory (or `file://` repository) on the runner's machine.
   * On for all-in-one (the person who started it submits their own checkouts), off by default
   * for a shared runner, where only remote git URIs are accepted.
   */
  readonly allowLocalProjects: boolean;
  /** kubeconfig for the Kubernetes backend; absent: the default chain (KUBECONFIG, ~/.kube/config, in-cluster). */
  readonly kubeconfigPath?: string;
  /** The interpreter for `--env-manager local`, and the first candidate for building virtualenvs. */
  readonly python: string;
}

export interface RunnerDefaults {
  stateDir: string;
  trackingUri?: string;
  allowLocalProjects: boolean;
}

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** The project runner's settings: CAIRN_RUNNER_* over the defaults of the mode it runs in. */
export function readRunnerSettings(defaults: RunnerDefaults, env: Env = process.env): RunnerSettings {
  const v = readEnv(
    {
      CAIRN_RUNNER_DIR: z.string().min(1).default(defaults.stateDir),
      CAIRN_RUNNER_TRACKING_URI: z.url({ protocol: /^https?$/ }).optional(),
      CAIRN_RUNNER_LOCAL_PROJECTS: bool(defaults.allowLocalProjects),
      CAIRN_RUNNER_KUBECONFIG: z.string().min(1).optional(),
      CAIRN_RUNNER_PYTHON: z.string().min(1).default('python3'),
    },
    env,
  );
  const trackingUri = v.CAIRN_RUNNER_TRACKING_URI ?? defaults.trackingUri;
  if (!trackingUri) {
    throw new ConfigError(['CAIRN_RUNNER_TRACKING_URI is required: the gateway URL that runs report to (e.g. http://cairn-gateway:5000)']);
  }
  return Object.freeze({
    stateDir: path.resolve(v.CAIRN_RUNNER_DIR),
    trackingUri: trackingUri.replace(/\/+$/, ''),
    allowLocalProjects: v.CAIRN_RUNNER_LOCAL_PROJECTS,
    kubeconfigPath: v.CAIRN_RUNNER_KUBECONFIG,
    python: v.CAIRN_RUNNER_PYTHON,
  });
}

/** What `cairn run` and the other client commands talk to: MLflow's own variable, then Cairn's default. */
export function readClientTrackingUri(flag: string | undefined, env: Env = process.env): string {
  const uri = flag ?? env.MLFLOW_TRACKING_URI ?? 'http://127.0.0.1:5000';
  if (!/^https?:\/\//.test(uri)) {
    throw new Error(`tracking URI must be http(s)://…, got '${uri}' (set MLFLOW_TRACKING_URI or --tracking-uri)`);
  }
  return uri.replace(/\/+$/, '');
}
