// python_env.yaml: MLflow's `mlflow/utils/environment.py::_PythonEnv`, and the environment name
// `mlflow/utils/virtualenv.py::_get_virtualenv_name` derives from it for caching.
import { createHash } from 'node:crypto';
import { ExecutionException, PythonEnvTypeError } from './errors';
import { pyRepr, pyStr, pyTypeName } from './python';
import { pySafeLoad } from './yaml-load';

export interface PythonEnv {
  /** `python` version; MLflow defaults it to the current interpreter's version. */
  python: string;
  build_dependencies: string[];
  dependencies: string[];
}

export interface ParsePythonEnvOptions {
  /** Used when the file has no `python` (MLflow: `PYTHON_VERSION` of the running interpreter). */
  defaultPython?: string;
}

const FIELDS = ['python', 'build_dependencies', 'dependencies'] as const;

/** `_PythonEnv.from_dict(dct)` with `_PythonEnv.__init__`'s validation. */
export function pythonEnvFromDict(dct: unknown, opts: ParsePythonEnvOptions = {}): PythonEnv {
  if (typeof dct !== 'object' || dct === null || Array.isArray(dct)) {
    // MLflow: `cls(**None)` → "argument after ** must be a mapping, not NoneType".
    throw new PythonEnvTypeError(`_PythonEnv.from_dict() argument after ** must be a mapping, not ${pyTypeName(dct)}`);
  }
  const d = dct as Record<string, unknown>;
  for (const key of Object.keys(d)) {
    if (!(FIELDS as readonly string[]).includes(key)) {
      throw new PythonEnvTypeError(`_PythonEnv.__init__() got an unexpected keyword argument ${pyRepr(key)}`);
    }
  }
  const { python, build_dependencies: build, dependencies: deps } = d;
  if (python !== undefined && python !== null && typeof python !== 'string') {
    throw new PythonEnvTypeError(`\`python\` must be a string but got <class '${pyTypeName(python)}'>`);
  }
  if (build !== undefined && build !== null && !Array.isArray(build)) {
    throw new PythonEnvTypeError(`\`build_dependencies\` must be a list but got <class '${pyTypeName(build)}'>`);
  }
  if (deps !== undefined && deps !== null && !Array.isArray(deps)) {
    throw new PythonEnvTypeError(`\`dependencies\` must be a list but got <class '${pyTypeName(deps)}'>`);
  }
  // `python or PYTHON_VERSION`: an empty string also falls back.
  const resolvedPython = python ? python : opts.defaultPython;
  if (!resolvedPython) {
    throw new ExecutionException(
      'python_env.yaml does not specify `python` and no default Python version was given',
    );
  }
  // MLflow keeps list items as loaded; pip gets them as strings, so we store str(item).
  return {
    python: resolvedPython,
    build_dependencies: ((build as unknown[] | null | undefined) ?? []).map((x) => pyStr(x)),
    dependencies: ((deps as unknown[] | null | undefined) ?? []).map((x) => pyStr(x)),
  };
}

/** `_PythonEnv.from_yaml`: parses the text of a python_env.yaml. */
export function parsePythonEnv(text: string, opts: ParsePythonEnvOptions = {}): PythonEnv {
  return pythonEnvFromDict(pySafeLoad(text), opts);
}

/** `str(_PythonEnv)`: `str(self.__dict__)`. */
export function pythonEnvRepr(env: PythonEnv): string {
  return pyRepr({ python: env.python, build_dependencies: env.build_dependencies, dependencies: env.dependencies });
}

export interface PythonEnvHashOptions {
  /**
   * The requirement lines `dependencies` expand to (MLflow's `_parse_requirements`, which follows
   * `-r`/`-c` files relative to the project). Defaults to the dependencies as written.
   */
  requirements?: string[];
  /** MLflow's `env_id` suffix (lets callers force distinct environments). */
  envId?: string;
}

/**
 * A stable hash of the spec for caching built environments, following `_get_virtualenv_name`:
 * `sha1(str(python_env) + "".join(map(str, sorted(requirements))) + (env_id or ""))`, where a
 * requirement prints as `_Requirement(req_str='…', is_constraint=False)`.
 */
export function pythonEnvHash(env: PythonEnv, opts: PythonEnvHashOptions = {}): string {
  const reqs = [...(opts.requirements ?? env.dependencies)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const material =
    pythonEnvRepr(env) +
    reqs.map((r) => `_Requirement(req_str=${pyRepr(r)}, is_constraint=False)`).join('') +
    (opts.envId ?? '');
  return createHash('sha1').update(material, 'utf8').digest('hex');
}

/** `_get_mlflow_env_name`: `mlflow-<sha1>`. */
export function pythonEnvName(env: PythonEnv, opts: PythonEnvHashOptions = {}): string {
  return `mlflow-${pythonEnvHash(env, opts)}`;
}
