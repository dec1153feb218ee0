// Computing an entry point's command: MLflow's `EntryPoint.compute_parameters` / `compute_command`
// and `Parameter.compute_value`, plus `get_run_env_vars`.
import { ExecutionException } from './errors';
import type { EntryPoint, Parameter, ParamValue } from './project';
import { isPyFloatString, isPyIntString, pyStr, pyStrRepr, pyUrlSplit, shellQuote, shellSplit } from './python';

/**
 * Downloads a non-local `path` parameter value (e.g. `s3://…`, `runs:/…`) into `downloadDir`
 * (`<storageDir>/param_<index>`, which the hook creates) and returns the local path. MLflow does
 * this with `_download_artifact_from_uri`; Cairn leaves it to the caller.
 */
export type RemotePathDownloader = (uri: string, downloadDir: string, parameter: Parameter) => string;

export interface ComputeOptions {
  /**
   * MLflow's `storage_dir`. When set (always, for the command MLflow runs), `path` parameters are
   * resolved: local ones must exist and are made absolute, remote ones are downloaded into
   * `<storageDir>/param_<index>`. When null/undefined (MLflow's choice for the logged params),
   * `path` values are left as given.
   */
  storageDir?: string | null;
  /** Directory against which relative local `path` values are resolved (MLflow: its working dir). */
  baseDir?: string;
  /** Existence check for resolved local paths (absolute). Required when `storageDir` is set. */
  pathExists?: (absolutePath: string) => boolean;
  /** Remote `path` values; without it they are an error. */
  downloadRemotePath?: RemotePathDownloader;
  /**
   * Beyond MLflow (which passes `float`/`int` values through unchecked): reject values that
   * Python's `float()` / `int()` would not accept.
   */
  validateTypes?: boolean;
}

export interface ComputedParameters {
  /** Declared parameters, defaults applied, values as `str()` (not yet quoted). */
  params: Record<string, string>;
  /** `-P` parameters the entry point does not declare, in the order given. */
  extraParams: Record<string, string>;
}

/** `EntryPoint._validate_parameters`. */
export function validateParameters(entryPoint: EntryPoint, userParameters: Record<string, ParamValue>): void {
  const missing = entryPoint.parameters
    .filter((p) => !(p.name in userParameters) && (p.default === null || p.default === undefined))
    .map((p) => p.name);
  if (missing.length > 0) {
    throw new ExecutionException(`No value given for missing parameters: ${missing.map((n) => `'${n}'`).join(', ')}`);
  }
}

/** `data_utils.is_uri`: urlparse finds a scheme. */
export function isUri(value: string): boolean {
  return pyUrlSplit(value).scheme.length > 0;
}

/** `file_utils.get_local_path_or_none`: a path with no scheme, or a `file:` URI without netloc. */
export function getLocalPathOrNone(pathOrUri: string): string | null {
  const { scheme, netloc, path } = pyUrlSplit(pathOrUri);
  if (scheme.length === 0) return decodePath(pathOrUri);
  if (scheme === 'file' && netloc.length === 0) return decodePath(path);
  return null;
}

// `urllib.request.url2pathname` on POSIX is `unquote`.
function decodePath(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
}

function posixNormalize(p: string): string {
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!abs) out.push('..');
    } else out.push(part);
  }
  const joined = out.join('/');
  // os.path.abspath keeps a leading '//' (POSIX allows it to be special); rare enough to ignore.
  return abs ? `/${joined}` : joined || '.';
}

/** `os.path.abspath(p)` with `baseDir` standing in for the current directory. */
export function absPath(p: string, baseDir: string): string {
  return posixNormalize(p.startsWith('/') ? p : `${baseDir}/${p}`);
}

function computeValue(
  param: Parameter,
  value: ParamValue,
  keyPosition: number,
  opts: ComputeOptions,
): ParamValue {
  if (opts.validateTypes) checkType(param, value);
  if (opts.storageDir && param.type === 'path') {
    const raw = pyStr(value);
    const local = getLocalPathOrNone(raw);
    if (local) {
      const abs = absPath(local, opts.baseDir ?? process.cwd());
      const exists = opts.pathExists;
      if (!exists) throw new Error('computeParameters: pathExists is required to resolve path parameters');
      if (!exists(abs)) {
        throw new ExecutionException(
          `Got value ${raw} for parameter ${param.name}, but no such file or directory was found.`,
        );
      }
      return abs;
    }
    const downloadDir = `${opts.storageDir.replace(/\/+$/, '')}/param_${keyPosition}`;
    if (!opts.downloadRemotePath) {
      throw new ExecutionException(
        `Got value ${raw} for parameter ${param.name}, but downloading remote 'path' parameters is not supported here.`,
      );
    }
    return opts.downloadRemotePath(raw, downloadDir, param);
  }
  if (param.type === 'uri') {
    const raw = pyStr(value);
    if (!isUri(raw)) throw new ExecutionException(`Expected URI for parameter ${param.name} but got ${raw}`);
    return value;
  }
  return value;
}

function checkType(param: Parameter, value: ParamValue): void {
  const t = param.type;
  if (t !== 'float' && t !== 'int') return;
  if (typeof value === 'boolean') {
    // float(True) works in Python, but a boolean for a numeric parameter is almost surely a mistake.
    throw new ExecutionException(`Expected ${t} for parameter ${param.name} but got ${pyStr(value)}`);
  }
  if (typeof value === 'number' || typeof value === 'bigint') {
    if (t === 'int' && !Number.isInteger(Number(value))) {
      throw new ExecutionException(`Expected int for parameter ${param.name} but got ${pyStr(value)}`);
    }
    return;
  }
  if (typeof value === 'object' && value !== null && value.constructor?.name === 'PyFloat') {
    if (t === 'int') throw new ExecutionException(`Expected int for parameter ${param.name} but got ${pyStr(value)}`);
    return;
  }
  const s = pyStr(value);
  const ok = t === 'float' ? isPyFloatString(s) : isPyIntString(s);
  if (!ok) throw new ExecutionException(`Expected ${t} for parameter ${param.name} but got ${s}`);
}

/**
 * `EntryPoint.compute_parameters`: validates, applies defaults, resolves `path`/`uri` values.
 * Values are returned as `str(value)`; MLflow's `_sanitize_param_dict` also shell-quotes them —
 * see `computeCommand` (quoted) vs. the params MLflow logs (`logParams: storageDir null`, then
 * quoted too: MLflow logs the quoted strings).
 */
export function computeParameters(
  entryPoint: EntryPoint,
  userParameters: Record<string, ParamValue> | null | undefined,
  opts: ComputeOptions = {},
): ComputedParameters {
  const user = userParameters ?? {};
  validateParameters(entryPoint, user);
  const params: Record<string, string> = {};
  const extraParams: Record<string, string> = {};
  entryPoint.parameters.forEach((p, index) => {
    const value = p.name in user ? user[p.name] : p.default;
    params[p.name] = pyStr(computeValue(p, value, index, opts));
  });
  for (const key of Object.keys(user)) {
    if (!(key in params)) extraParams[key] = pyStr(user[key]);
  }
  return { params, extraParams };
}

/** `_sanitize_param_dict`: `{str(k): quote(str(v))}`. */
export function sanitizeParamDict(params: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, shellQuote(v)]));
}

/**
 * The parameters as MLflow logs them on the run (`compute_parameters(params, storage_dir=None)`,
 * which returns the sanitized — i.e. shell-quoted — values): declared then extra.
 */
export function parametersToLog(
  entryPoint: EntryPoint,
  userParameters: Record<string, ParamValue> | null | undefined,
  opts: Omit<ComputeOptions, 'storageDir'> = {},
): [string, string][] {
  const { params, extraParams } = computeParameters(entryPoint, userParameters, { ...opts, storageDir: null });
  return [...Object.entries(sanitizeParamDict(params)), ...Object.entries(sanitizeParamDict(extraParams))];
}

/** `EntryPoint.compute_command`: the shell command line MLflow runs. */
export function computeCommand(
  entryPoint: EntryPoint,
  userParameters: Record<string, ParamValue> | null | undefined,
  opts: ComputeOptions = {},
): string {
  const { params, extraParams } = computeParameters(entryPoint, userParameters, opts);
  if (entryPoint.command === null) {
    throw new ExecutionException(`Entry point '${entryPoint.name}' has no command.`);
  }
  const withParams = pyFormat(entryPoint.command, sanitizeParamDict(params));
  const parts = [withParams, ...Object.entries(sanitizeParamDict(extraParams)).map(([k, v]) => `--${k} ${v}`)];
  return parts.join(' ');
}

/**
 * Python's `str.format(**kwargs)` for string values: `{name}`, `{{`/`}}`, conversions `!s`/`!r`/`!a`
 * and string format specs (`[[fill]align][width][.precision]`). Positional fields, attribute and
 * index access are errors (MLflow raises IndexError/KeyError there).
 */
export function pyFormat(template: string, kwargs: Record<string, string>): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const ch = template[i];
    if (ch === '{') {
      if (template[i + 1] === '{') {
        out += '{';
        i += 2;
        continue;
      }
      const end = template.indexOf('}', i);
      if (end === -1) throw new ExecutionException("Invalid command template: Single '{' encountered in format string");
      const field = template.slice(i + 1, end);
      if (field.includes('{')) throw new ExecutionException(`Invalid command template: nested replacement fields in {${field}}`);
      out += formatField(field, kwargs);
      i = end + 1;
    } else if (ch === '}') {
      if (template[i + 1] === '}') {
        out += '}';
        i += 2;
        continue;
      }
      throw new ExecutionException("Invalid command template: Single '}' encountered in format string");
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

function formatField(field: string, kwargs: Record<string, string>): string {
  const m = /^([^!:]*)(?:!([^:]*))?(?::(.*))?$/s.exec(field)!;
  const [, name, conv, spec] = m;
  if (name === '' || /^\d+$/.test(name)) {
    throw new ExecutionException(
      `Invalid command template: positional field {${field}} (MLflow formats the command with named parameters only)`,
    );
  }
  if (/[.[]/.test(name)) {
    throw new ExecutionException(`Invalid command template: attribute or index access in {${field}} is not supported`);
  }
  if (!(name in kwargs)) {
    throw new ExecutionException(
      `Invalid command template: {${name}} is not a declared parameter of the entry point (Python: KeyError: ${pyStrRepr(name)})`,
    );
  }
  let v = kwargs[name];
  if (conv !== undefined) {
    if (conv === 's') {
      /* as is */
    } else if (conv === 'r' || conv === 'a') v = pyStrRepr(v);
    else throw new ExecutionException(`Invalid command template: Unknown conversion specifier ${conv}`);
  }
  return spec ? applyStringSpec(v, spec) : v;
}

function applyStringSpec(v: string, spec: string): string {
  const m = /^(?:(.)?([<>^]))?(\d+)?(?:\.(\d+))?s?$/s.exec(spec);
  if (!m) throw new ExecutionException(`Invalid command template: Invalid format specifier '${spec}' for object of type 'str'`);
  const [, fill = ' ', align = '<', width, precision] = m;
  let s = precision !== undefined ? [...v].slice(0, Number(precision)).join('') : v;
  const w = width !== undefined ? Number(width) : 0;
  const len = [...s].length;
  if (len < w) {
    const pad = w - len;
    if (align === '<') s = s + fill.repeat(pad);
    else if (align === '>') s = fill.repeat(pad) + s;
    else s = fill.repeat(Math.floor(pad / 2)) + s + fill.repeat(pad - Math.floor(pad / 2));
  }
  return s;
}

export interface RunEnvVarsInput {
  runId: string;
  trackingUri: string;
  experimentId: string | number;
}

/** `get_run_env_vars`: the environment MLflow passes to the entry point's process. */
export function runEnvVars(input: RunEnvVarsInput): Record<'MLFLOW_RUN_ID' | 'MLFLOW_TRACKING_URI' | 'MLFLOW_EXPERIMENT_ID', string> {
  return {
    MLFLOW_RUN_ID: input.runId,
    MLFLOW_TRACKING_URI: input.trackingUri,
    MLFLOW_EXPERIMENT_ID: String(input.experimentId),
  };
}

/**
 * MLflow's Kubernetes `_get_run_command`: each command is `shlex.split` and every token is
 * `shlex.quote`d again — so a value with a space reaches the container as `'a b'`, quotes
 * included (MLflow's behaviour; see `commandArgv` for the plain argv).
 */
export function kubernetesRunCommand(commands: readonly string[]): string[] {
  return commands.flatMap((c) => shellSplit(c).map((t) => shellQuote(t)));
}

/** The argv a POSIX shell would run for a computed command (`shlex.split`). */
export function commandArgv(command: string): string[] {
  return shellSplit(command);
}
