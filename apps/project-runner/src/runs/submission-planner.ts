import path from 'node:path';
import type { EnvManager, KubernetesBackendConfig, ProjectRunBackend, SubmitProjectRunRequest } from '@cairn/contracts';
import { invalidParameter } from '@cairn/contracts';
import type { EntryPoint, Project, PythonEnv } from '@cairn/mlproject';
import {
  computeCommand,
  EnvType,
  ExecutionException,
  getEntryPoint,
  loadProject,
  loadPythonEnv,
  MlflowException,
  nodePathExists,
  parametersToLog,
  PythonEnvTypeError,
} from '@cairn/mlproject';
import type { RunnerSettings } from '@cairn/config';
import type { FetchedProject } from '../projects/project-source';
import { fetchProject } from '../projects/project-source';
import { expandGrid, gridPointName } from './sweep';

export const MAX_PARALLEL = 32;

/** One run to create: its parameters as given, the command, and what MLflow logs as its params. */
export interface PlannedRun {
  parameters: Record<string, string>;
  command: string;
  loggedParams: [string, string][];
  /** A sweep child's name (its grid point). */
  name?: string;
}

export interface SubmissionPlan {
  backend: ProjectRunBackend;
  envManager: EnvManager;
  entryPoint: string;
  project: Project;
  fetched: FetchedProject;
  pythonEnv?: PythonEnv;
  dockerImage?: string;
  kubernetes?: KubernetesBackendConfig;
  runs: PlannedRun[];
  sweep: boolean;
  maxParallel: number;
  /** `mlflow.*` tags every run of the submission gets (MLflow's `_create_run`). */
  tags: Record<string, string>;
}

/** MLflow's project errors become the client's 400 with MLflow's message. */
export function asClientError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ExecutionException || e instanceof MlflowException || e instanceof PythonEnvTypeError) {
      throw invalidParameter(e.message);
    }
    throw e;
  }
}

/**
 * Turns a submission into runs to create, before anything is created: the project is fetched and
 * parsed, the entry point and every grid point's parameters checked and commands computed, so a
 * bad project, a missing or mistyped parameter or an unknown version fails the request whole.
 */
export async function planSubmission(req: SubmitProjectRunRequest, settings: RunnerSettings, workDir: string): Promise<SubmissionPlan> {
  const backend = req.backend ?? 'local';
  const entryPointName = req.entry_point ?? 'main';
  const fetched = await fetchProject(req.uri, req.version, { workDir, allowLocal: settings.allowLocalProjects });
  const project = asClientError(() => loadProject(fetched.dir));
  const ep = asClientError(() => getEntryPoint(project, entryPointName, { shell: 'bash' }));
  if (ep === null) throw invalidParameter(`The entry point '${entryPointName}' cannot run here (a Databricks Spark job).`);

  const { envManager, pythonEnv } = chooseEnvironment(project, fetched.dir, backend, req.env_manager);
  const dockerImage = project.dockerEnv?.image;
  if (backend === 'kubernetes' && !req.backend_config?.image && !dockerImage) {
    throw invalidParameter(
      "The kubernetes backend needs a container image: declare 'docker_env: {image: …}' in the MLproject or set 'image' in the backend config.",
    );
  }
  if (backend === 'local' && project.envType === EnvType.DOCKER) {
    throw invalidParameter(
      'This project declares docker_env; the local backend does not run containers. Use --backend kubernetes, or remove docker_env to run it in a virtualenv.',
    );
  }

  const grid = req.sweep && Object.keys(req.sweep).length > 0 ? expandGrid(req.sweep) : [{}];
  const sweep = grid.length > 1 || (req.sweep !== undefined && Object.keys(req.sweep).length > 0);
  for (const key of Object.keys(req.sweep ?? {})) {
    if (req.parameters && key in req.parameters) throw invalidParameter(`Parameter '${key}' is both set (-P) and swept (--sweep).`);
  }
  const storageDir = path.join(workDir, '.storage');
  const runs = grid.map((point) => planRun(ep, { ...req.parameters, ...point }, fetched.dir, storageDir, sweep ? gridPointName(point) : undefined));

  return {
    backend,
    envManager,
    entryPoint: entryPointName,
    project,
    fetched,
    ...(pythonEnv && { pythonEnv }),
    ...(dockerImage && { dockerImage }),
    ...(req.backend_config && { kubernetes: req.backend_config }),
    runs,
    sweep,
    maxParallel: req.max_parallel ?? 1,
    tags: projectTags(req, fetched, entryPointName, backend, envManager, req.backend_config?.image ?? dockerImage),
  };
}

function planRun(ep: EntryPoint, parameters: Record<string, string>, projectDir: string, storageDir: string, name?: string): PlannedRun {
  return asClientError(() => ({
    parameters,
    command: computeCommand(ep, parameters, { storageDir, baseDir: projectDir, pathExists: nodePathExists, validateTypes: true }),
    loggedParams: parametersToLog(ep, parameters),
    ...(name && { name }),
  }));
}

function chooseEnvironment(
  project: Project,
  dir: string,
  backend: ProjectRunBackend,
  requested: EnvManager | undefined,
): { envManager: EnvManager; pythonEnv?: PythonEnv } {
  if (backend === 'kubernetes') return { envManager: 'local' };
  if (project.envType === EnvType.CONDA) {
    if (requested === 'local') return { envManager: 'local' };
    throw invalidParameter(
      'This project declares a conda environment; Cairn builds python_env environments with virtualenv. Convert conda.yaml to python_env.yaml, or run with --env-manager local.',
    );
  }
  const envManager = requested ?? (project.envConfigPath ? 'virtualenv' : 'local');
  if (envManager === 'local' || project.envConfigPath === null) return { envManager };
  const pythonEnv = asClientError(() => loadPythonEnv(dir, project.envConfigPath!));
  return { envManager, pythonEnv };
}

function projectTags(
  req: SubmitProjectRunRequest,
  fetched: FetchedProject,
  entryPoint: string,
  backend: ProjectRunBackend,
  envManager: EnvManager,
  image: string | undefined,
): Record<string, string> {
  const tags: Record<string, string> = {
    'mlflow.user': req.user ?? 'unknown',
    'mlflow.source.name': fetched.sourceName,
    'mlflow.source.type': 'PROJECT',
    'mlflow.project.entryPoint': entryPoint,
    'mlflow.project.backend': backend,
  };
  if (backend === 'local') tags['mlflow.project.env'] = envManager;
  if (backend === 'kubernetes' && image) tags['mlflow.docker.image.uri'] = image;
  if (fetched.git) {
    tags['mlflow.source.git.commit'] = fetched.git.commit;
    if (fetched.git.repoUrl) {
      tags['mlflow.source.git.repoURL'] = fetched.git.repoUrl;
      tags['mlflow.gitRepoURL'] = fetched.git.repoUrl;
    }
    if (fetched.git.branch) {
      tags['mlflow.source.git.branch'] = fetched.git.branch;
      tags['mlflow.gitBranchName'] = fetched.git.branch;
    }
  }
  return tags;
}
