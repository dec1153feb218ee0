import { invalidParameter } from '@cairn/contracts';
import { canonicalArtifactPath } from './canonical-path';

const PROXIED = /^mlflow-artifacts:(?:\/\/[^/]*)?\/(.*)$/;

/**
 * The object-key root behind a proxied artifact URI (`mlflow-artifacts:/1/<run>/artifacts`, or
 * with a host, `mlflow-artifacts://host:5000/1/…`), checked like any client path. Roots that are
 * not served by Cairn (s3://… given at experiment creation) return undefined: the client talks
 * to that store itself.
 */
export function proxiedArtifactRoot(uri: string): string | undefined {
  const match = PROXIED.exec(uri);
  if (!match) return undefined;
  return canonicalArtifactPath(match[1]);
}

export function requireProxiedArtifactRoot(uri: string): string {
  const root = proxiedArtifactRoot(uri);
  if (root === undefined) {
    throw invalidParameter(`Artifacts at '${uri}' are not served by this server; read them from that store directly.`);
  }
  return root;
}
