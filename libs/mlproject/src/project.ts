// The MLproject specification: MLflow's `mlflow/projects/_project_spec.py`, `env_type.py`.
import { ExecutionException, MlflowException } from './errors';
import { PyFloat, pyRepr, pySplitextExt, pyStr, shellQuote } from './python';
import { pySafeLoad } from './yaml-load';

export const MLPROJECT_FILE_NAME = 'mlproject';
export const DEFAULT_CONDA_FILE_NAME = 'conda.yaml';
export const PYTHON_ENV_FILE_NAME = 'python_env.yaml';

export const EnvType = { PYTHON: 'python_env', CONDA: 'conda_env', DOCKER: 'docker_env' } as const;
export type EnvType = (typeof EnvType)[keyof typeof EnvType];
/** `env_type.ALL`, in MLflow's order. */
export const ALL_ENV_TYPES: readonly EnvType[] = [EnvType.PYTHON, EnvType.CONDA, EnvType.DOCKER];

/** Declared parameter types. MLflow only treats `path` and `uri` specially; any string is accepted. */
export type ParameterType = 'string' | 'float' | 'int' | 'path' | 'uri' | (string & {});

/** A value as YAML or a caller provides it; rendered with Python's `str()`. */
export type ParamValue = unknown;

export interface Parameter {
  name: string;
  type: ParameterType;
  /** `null` when there is none (a YAML `default: null` counts as none, as in MLflow). */
  default: ParamValue | null;
}

export interface EntryPoint {
  name: string;
  /** In declaration order (the order matters for `param_<index>` download dirs). */
  parameters: Parameter[];
  command: string | null;
}

export interface DockerEnv {
  image: string;
  volumes?: string[];
  /** Names to copy from the host, or `[name, value]` pairs to define. */
  environment?: (string | [string, string])[];
  /** Other keys of `docker_env` are kept as written (MLflow ignores them). */
  [key: string]: unknown;
}

export interface DatabricksSparkJobSpec {
  pythonFile: string | null;
  parameters: unknown[];
  pythonLibraries: unknown[];
}

export interface Project {
  name: string | null;
  /** `null` only for Databricks Spark job projects. */
  envType: EnvType | null;
  /** Project-relative path of python_env.yaml / conda.yaml, or null (docker, or python without spec). */
  envConfigPath: string | null;
  dockerEnv: DockerEnv | null;
  entryPoints: Map<string, EntryPoint>;
  databricksSparkJob: DatabricksSparkJobSpec | null;
  /** The YAML as loaded, for keys MLflow does not interpret (e.g. `kubernetes_env`). */
  raw: Record<string, unknown>;
}

/** What `parseProject` needs to know about the project directory besides the MLproject text. */
export interface ProjectDirectory {
  /** Shown in error messages as MLflow does (`os.path.join(directory, file)`). */
  directory: string;
  /** Whether a project-relative path exists. */
  exists(relativePath: string): boolean;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof PyFloat);

/** Python truthiness of a YAML-loaded value. */
function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (v instanceof PyFloat) return v.value !== 0;
  if (Array.isArray(v)) return v.length > 0;
  if (isRecord(v)) return Object.keys(v).length > 0;
  return true;
}

export function joinPath(directory: string, file: string): string {
  if (file.startsWith('/')) return file;
  if (directory === '' ) return file;
  return directory.endsWith('/') ? `${directory}${file}` : `${directory}/${file}`;
}

/** `_find_mlproject`: the first file whose lower-cased name is `mlproject`. */
export function findMLprojectFile(fileNames: readonly string[]): string | null {
  return fileNames.find((f) => f.toLowerCase() === MLPROJECT_FILE_NAME) ?? null;
}

function parseParameter(entryPoint: string, name: string, yamlObj: unknown): Parameter {
  if (typeof yamlObj === 'string') return { name, type: yamlObj, default: null };
  if (isRecord(yamlObj)) {
    const type = yamlObj.type ?? 'string';
    if (typeof type !== 'string') {
      throw new ExecutionException(
        `Project configuration (MLproject file) was invalid: type of parameter '${name}' of entry point '${entryPoint}' must be a string, got ${pyRepr(type)}`,
      );
    }
    const dflt = yamlObj.default;
    return { name, type, default: dflt === undefined ? null : dflt };
  }
  // MLflow crashes here (`'NoneType' object has no attribute 'get'`); we say what is wrong.
  throw new ExecutionException(
    `Project configuration (MLproject file) was invalid: parameter '${name}' of entry point '${entryPoint}' must be a type name or a mapping {type, default}, got ${pyRepr(yamlObj)}`,
  );
}

function parseEntryPoints(yamlObj: Record<string, unknown>): Map<string, EntryPoint> {
  const entryPoints = new Map<string, EntryPoint>();
  const eps = yamlObj.entry_points ?? {};
  if (!isRecord(eps)) {
    throw new ExecutionException('Project configuration (MLproject file) was invalid: entry_points must be a mapping.');
  }
  for (const [name, epYaml] of Object.entries(eps)) {
    if (!isRecord(epYaml)) {
      throw new ExecutionException(
        `Project configuration (MLproject file) was invalid: entry point '${name}' must be a mapping with 'command' and optional 'parameters'.`,
      );
    }
    const params = epYaml.parameters ?? {};
    if (!isRecord(params)) {
      throw new ExecutionException(
        `Project configuration (MLproject file) was invalid: parameters of entry point '${name}' must be a mapping.`,
      );
    }
    const command = epYaml.command ?? null;
    entryPoints.set(name, {
      name,
      parameters: Object.entries(params).map(([k, v]) => parseParameter(name, k, v)),
      command: command === null ? null : pyStr(command),
    });
  }
  return entryPoints;
}

/** Python's repr of the set of env fields (MLflow's set order is hash-dependent; we use `ALL` order). */
function pySetRepr(items: string[]): string {
  return `{${items.map((i) => pyRepr(i)).join(', ')}}`;
}

/**
 * `load_project`: parses the MLproject text (null when the directory has no MLproject file) and
 * resolves the environment against the directory.
 */
export function parseProject(mlprojectText: string | null, dir: ProjectDirectory): Project {
  let loaded: unknown = {};
  if (mlprojectText !== null) {
    try {
      loaded = pySafeLoad(mlprojectText);
    } catch (e) {
      throw new ExecutionException(`Project configuration (MLproject file) is not valid YAML: ${(e as Error).message}`);
    }
  }
  // An empty file loads as None; MLflow then crashes on `.keys()`.
  if (!isRecord(loaded)) {
    throw new ExecutionException(
      `Project configuration (MLproject file) was invalid: expected a mapping at the top level, got ${pyRepr(loaded)}`,
    );
  }
  const yamlObj = loaded;

  const envFields = ALL_ENV_TYPES.filter((k) => k in yamlObj);
  if (envFields.length > 1) {
    throw new ExecutionException(`Project cannot contain multiple environment fields: ${pySetRepr(envFields)}`);
  }

  const nameRaw = yamlObj.name;
  const name = nameRaw === undefined || nameRaw === null ? null : pyStr(nameRaw);
  const entryPoints = parseEntryPoints(yamlObj);
  const base = { name, entryPoints, raw: yamlObj };

  const dbx = yamlObj.databricks_spark_job;
  if (dbx !== undefined && dbx !== null) {
    const job = isRecord(dbx) ? dbx : {};
    const pythonFile = job.python_file ?? null;
    if (pythonFile === null && entryPoints.size === 0) {
      throw new MlflowException(
        "Databricks Spark job requires either 'databricks_spark_job.python_file' setting or 'entry_points' setting.",
      );
    }
    if (pythonFile !== null && entryPoints.size > 0) {
      throw new MlflowException(
        "Databricks Spark job does not allow setting both 'databricks_spark_job.python_file' and 'entry_points'.",
      );
    }
    for (const ep of entryPoints.values()) {
      for (const p of ep.parameters) {
        if (p.type === 'path') {
          throw new MlflowException(
            `Databricks Spark job does not support entry point parameter of 'path' type. '${p.name}' value type is invalid.`,
          );
        }
      }
    }
    if (EnvType.DOCKER in yamlObj) throw new MlflowException('Databricks Spark job does not support setting docker environment.');
    if (EnvType.PYTHON in yamlObj) throw new MlflowException('Databricks Spark job does not support setting python environment.');
    if (EnvType.CONDA in yamlObj) throw new MlflowException('Databricks Spark job does not support setting conda environment.');
    return {
      ...base,
      envType: null,
      envConfigPath: null,
      dockerEnv: null,
      databricksSparkJob: {
        pythonFile: pythonFile === null ? null : pyStr(pythonFile),
        parameters: (job.parameters as unknown[] | undefined) ?? [],
        pythonLibraries: (job.python_libraries as unknown[] | undefined) ?? [],
      },
    };
  }

  const dockerEnv = yamlObj[EnvType.DOCKER];
  if (truthy(dockerEnv)) {
    const d = isRecord(dockerEnv) ? dockerEnv : {};
    if (!truthy(d.image)) {
      throw new ExecutionException(
        'Project configuration (MLproject file) was invalid: Docker environment specified but no image attribute found.',
      );
    }
    if (truthy(d.volumes)) {
      if (!(Array.isArray(d.volumes) && d.volumes.every((i) => typeof i === 'string'))) {
        throw new ExecutionException(
          'Project configuration (MLproject file) was invalid: Docker volumes must be a list of strings, ' +
            `e.g.: '["/path1/:/path1", "/path2/:/path2"])`,
        );
      }
    }
    if (truthy(d.environment)) {
      if (!(Array.isArray(d.environment) && d.environment.every((i) => Array.isArray(i) || typeof i === 'string'))) {
        throw new ExecutionException(
          'Project configuration (MLproject file) was invalid: environment must be a list containing either strings ' +
            '(to copy environment variables from host system) or lists of string pairs (to define new environment ' +
            `variables).E.g.: '[["NEW_VAR", "new_value"], "VAR_TO_COPY_FROM_HOST"])`,
        );
      }
    }
    const docker: DockerEnv = { ...d, image: pyStr(d.image) };
    return { ...base, envType: EnvType.DOCKER, envConfigPath: null, dockerEnv: docker, databricksSparkJob: null };
  }

  const pythonEnv = yamlObj[EnvType.PYTHON];
  if (truthy(pythonEnv)) {
    const rel = pyStr(pythonEnv);
    if (!dir.exists(rel)) {
      throw new ExecutionException(
        `Project specified python_env file ${joinPath(dir.directory, rel)}, but no such file was found.`,
      );
    }
    return { ...base, envType: EnvType.PYTHON, envConfigPath: rel, dockerEnv: null, databricksSparkJob: null };
  }

  const condaEnv = yamlObj[EnvType.CONDA];
  if (truthy(condaEnv)) {
    const rel = pyStr(condaEnv);
    if (!dir.exists(rel)) {
      throw new ExecutionException(
        `Project specified conda environment file ${joinPath(dir.directory, rel)}, but no such file was found.`,
      );
    }
    return { ...base, envType: EnvType.CONDA, envConfigPath: rel, dockerEnv: null, databricksSparkJob: null };
  }

  if (dir.exists(PYTHON_ENV_FILE_NAME)) {
    return { ...base, envType: EnvType.PYTHON, envConfigPath: PYTHON_ENV_FILE_NAME, dockerEnv: null, databricksSparkJob: null };
  }
  if (dir.exists(DEFAULT_CONDA_FILE_NAME)) {
    return { ...base, envType: EnvType.CONDA, envConfigPath: DEFAULT_CONDA_FILE_NAME, dockerEnv: null, databricksSparkJob: null };
  }
  return { ...base, envType: EnvType.PYTHON, envConfigPath: null, dockerEnv: null, databricksSparkJob: null };
}

export interface GetEntryPointOptions {
  /** `$SHELL` for `.sh` entry points; MLflow reads `os.environ.get("SHELL", "bash")`. */
  shell?: string;
}

/** `Project.get_entry_point`: a declared entry point, or MLflow's fallback for script files. */
export function getEntryPoint(project: Project, entryPoint: string, opts: GetEntryPointOptions = {}): EntryPoint | null {
  const dbx = project.databricksSparkJob;
  if (dbx) {
    if (dbx.pythonFile !== null) return null;
    if (!project.entryPoints.has(entryPoint)) {
      throw new MlflowException(`The entry point '${entryPoint}' is not defined in the Databricks spark job MLproject file.`);
    }
  }
  const declared = project.entryPoints.get(entryPoint);
  if (declared) return declared;
  const ext = pySplitextExt(entryPoint);
  // MLflow uses $SHELL; the runner passes it from its own config (libs/config), this lib reads no environment.
  const shell = opts.shell ?? 'bash';
  const extToCmd: [string, string][] = [
    ['.py', 'python'],
    ['.sh', shell],
  ];
  const hit = extToCmd.find(([e]) => e === ext);
  if (hit) return { name: entryPoint, parameters: [], command: `${hit[1]} ${shellQuote(entryPoint)}` };
  if (ext === '.R') {
    return {
      name: entryPoint,
      parameters: [],
      command: `Rscript -e "mlflow::mlflow_source('${shellQuote(entryPoint)}')" --args`,
    };
  }
  throw new ExecutionException(
    `Could not find ${entryPoint} among entry points ${pyListRepr([...project.entryPoints.keys()])} or interpret ` +
      `${entryPoint} as a runnable script. Supported script file extensions: ${pyListRepr(extToCmd.map(([e]) => e))}`,
  );
}

function pyListRepr(items: string[]): string {
  return `[${items.map((i) => pyRepr(i)).join(', ')}]`;
}

