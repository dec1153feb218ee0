import { invalidParameter } from '@cairn/contracts';
import { unquote } from '@cairn/artifact-path';

// URI handling as MLflow's server does it (urllib.parse.urlsplit, _parse_model_uri, the source
// checks in handlers.py), kept free of I/O so the rules can be tested on their own.

export interface UriParts {
  scheme: string;
  netloc: string;
  path: string;
}

const SCHEME_CHARS = /^[A-Za-z0-9+.-]+$/;

/** Python's urllib.parse.urlsplit, without fragments: scheme (lower-cased), netloc and path. */
export function splitUri(uri: string): UriParts {
  let rest = uri;
  let scheme = '';
  const colon = uri.indexOf(':');
  if (colon > 0 && /^[A-Za-z]/.test(uri) && SCHEME_CHARS.test(uri.slice(0, colon))) {
    scheme = uri.slice(0, colon).toLowerCase();
    rest = uri.slice(colon + 1);
  }
  let netloc = '';
  if (rest.startsWith('//')) {
    const end = rest.slice(2).search(/[/?#]/);
    netloc = end < 0 ? rest.slice(2) : rest.slice(2, end + 2);
    rest = end < 0 ? '' : rest.slice(end + 2);
  }
  const query = rest.indexOf('?');
  return { scheme, netloc, path: query < 0 ? rest : rest.slice(0, query) };
}

/** Python's unquote (or unquote_plus), repeated until nothing changes. */
export function unquoteRepeatedly(value: string, plusIsSpace = false): string {
  let current = value;
  for (;;) {
    const next = unquote(plusIsSpace ? current.replace(/\+/g, ' ') : current);
    if (next === current) return current;
    current = next;
  }
}

/** Sources on the server's own disk: no scheme, `file:`, or a Windows drive. */
export function isLocalUri(uri: string): boolean {
  const { scheme } = splitUri(uri);
  return scheme === '' || scheme === 'file' || /^[A-Za-z]:[\\/]/.test(uri);
}

/**
 * `_validate_non_local_source_contains_relative_paths`: after repeated URL-decoding, the path
 * must be absolute and normal, with no `..`, `.` or NUL (CVE-2023-1177, -6975, -3573).
 */
export function hasRelativeOrUnsafePath(source: string): boolean {
  const decoded = unquoteRepeatedly(source, true);
  const path = splitUri(decoded).path.replace(/\/+$/, '').replace(/\/+/g, '/');
  if (path.includes('\0') || decoded.split('/').includes('..')) return true;
  return !path.startsWith('/') || path.split('/').some((part) => part === '.' || part === '..');
}

// Schemes whose artifact repositories connect to the host the URI names (MLflow's host policy,
// GHSA-mr9f-g8qf-4w4j). `mlflow-artifacts:/path` without a host means this server.
const HOST_ADDRESSED = new Set(['ftp', 'sftp', 'hdfs', 'viewfs', 'http', 'https', 'mlflow-artifacts', 'r2', 'b2', 'abfss']);

export function hostAddressedScheme(uri: string): string | undefined {
  const { scheme, netloc } = splitUri(uri);
  if (!HOST_ADDRESSED.has(scheme) || (scheme === 'mlflow-artifacts' && netloc === '')) return undefined;
  return scheme;
}

export type ParsedModelUri =
  | { modelId: string }
  | { name: string; version: string }
  | { name: string; stage: string }
  | { name: string; latest: true }
  | { name: string; alias: string };

/** `_parse_model_uri`: undefined when the URI is not a proper `models:/` URI. */
export function parseModelUri(uri: string): ParsedModelUri | undefined {
  const { scheme, path } = splitUri(uri);
  if (scheme !== 'models' || !path.startsWith('/') || path.length <= 1) return undefined;
  const parts = path.replace(/^\/+/, '').split('/');
  if (parts.length > 2 || parts[0]!.trim() === '') return undefined;
  const [name, suffix] = parts as [string, string | undefined];
  if (suffix !== undefined) {
    if (suffix.trim() === '') return undefined;
    if (/^\d+$/.test(suffix)) return { name, version: suffix };
    return suffix.toLowerCase() === 'latest' ? { name, latest: true } : { name, stage: suffix };
  }
  if (path.includes('@')) {
    const at = name.lastIndexOf('@');
    if (at < 0 || name.slice(at + 1).trim() === '') return undefined;
    return { name: name.slice(0, at), alias: name.slice(at + 1) };
  }
  return { modelId: name };
}

/** The run id of a `runs:/<run_id>/<path>` URI (`RunsArtifactRepository.parse_runs_uri`). */
export function runIdOfRunsUri(uri: string): string | undefined {
  const runId = splitUri(uri).path.replace(/^\//, '').split('/')[0];
  return runId || undefined;
}

/** A source served by an MLflow artifact proxy: `mlflow-artifacts:` or an http(s) proxy path. */
export function isMlflowArtifactSource(source: string): boolean {
  const { scheme, parts } = normalizedParts(source);
  if (scheme === 'mlflow-artifacts') return true;
  const route = ['api', '2.0', 'mlflow-artifacts', 'artifacts'];
  return (scheme === 'http' || scheme === 'https') && parts.some((_, i) => route.every((r, j) => parts[i + j] === r));
}

/** `_is_uri_within_root`: same scheme and authority, and the root's path segments come first. */
export function isUriWithinRoot(source: string, root: string): boolean {
  const s = normalizedParts(source);
  const r = normalizedParts(root);
  return s.scheme === r.scheme && s.netloc === r.netloc && r.parts.length > 0 && r.parts.every((p, i) => s.parts[i] === p);
}

function normalizedParts(uri: string) {
  const { scheme, netloc, path } = splitUri(uri);
  const parts = path.split('/').filter(Boolean).map((p) => unquoteRepeatedly(p));
  return { scheme, netloc: netloc.toLowerCase(), parts };
}

export const invalidSource = (source: string, idName: 'run_id' | 'model_id') =>
  invalidParameter(
    `Invalid model version source: '${source}'. The ${idName} request parameter must identify the resource that contains the source.`,
  );
