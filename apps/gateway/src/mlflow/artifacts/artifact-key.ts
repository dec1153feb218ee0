import { invalidParameter } from '@cairn/contracts';
import { canonicalArtifactPath, joinArtifactPath, unquote } from '@cairn/artifact-path';

const invalidPath = () => invalidParameter('Invalid path');

/**
 * The object key a proxy route names, read from the raw request line (never from a router
 * parameter that may already be decoded or normalized): the text after `prefix` up to the query,
 * percent-decoded once as MLflow's router does, then put through the one canonical check.
 * `prefixes` are literal path prefixes ending in '/'.
 */
export function artifactKeyFromUrl(rawUrl: string, prefixes: readonly string[]): string {
  const pathPart = rawUrl.split('?', 1)[0] ?? '';
  const prefix = prefixes.find((p) => pathPart.startsWith(p));
  if (prefix === undefined) throw invalidPath();
  return canonicalArtifactPath(unquote(pathPart.slice(prefix.length)));
}

/** The key of a file: like artifactKeyFromUrl, and it must name something below the root. */
export function fileKeyFromUrl(rawUrl: string, prefixes: readonly string[]): string {
  const key = artifactKeyFromUrl(rawUrl, prefixes);
  if (key === '') throw invalidPath();
  return key;
}

/**
 * Multipart uploads name their file by the client's local path; MLflow keeps its basename only
 * (either separator), under the directory the route names.
 */
export function multipartFileKey(directory: string, localPath: string): string {
  const basename = localPath.split(/[\\/]/).pop() ?? '';
  if (basename === '' || basename === '.' || basename === '..') throw invalidPath();
  return joinArtifactPath(directory, canonicalArtifactPath(basename));
}

/** Paths relative to a root (a run's or a logged model's), as the tracking listing shows them. */
export function relativeChild(directory: string, basename: string): string {
  return directory ? `${directory}/${basename}` : basename;
}

export const basenameOf = (key: string) => key.slice(key.lastIndexOf('/') + 1);
