import { canonicalArtifactPath } from '@cairn/artifact-path';
import { invalidParameter } from '@cairn/contracts';

/** Any key a store receives, canonicalized (throws 400 "Invalid path" on traversal shapes). */
export const objectKey = (key: string): string => canonicalArtifactPath(key);

/** A key that must name an object, not the root. */
export function fileKey(key: string): string {
  const canonical = objectKey(key);
  if (canonical === '') throw invalidParameter('Invalid path');
  return canonical;
}

export const basenameOf = (key: string): string => key.slice(key.lastIndexOf('/') + 1);
