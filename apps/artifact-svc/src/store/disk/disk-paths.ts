import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { invalidParameter } from '@cairn/contracts';
import { objectKey } from '../object-key';

const PARTIAL = /\.[0-9a-f]{16}\.partial$/;
const MAX_PARTIAL_STEM_BYTES = 200;

/**
 * Object keys to file-system paths under one root. Keys are canonical already; resolving them
 * and refusing any result outside the root is the second, independent line of defence.
 */
export class DiskPaths {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** The absolute path of `key` ('' is the root itself). */
  resolve(key: string): string {
    const segments = objectKey(key).split('/').filter(Boolean);
    if (segments.some(isPartialName)) throw invalidParameter('Invalid path');
    const resolved = path.resolve(this.root, ...segments);
    if (resolved !== this.root && !resolved.startsWith(this.root + path.sep)) throw invalidParameter('Invalid path');
    return resolved;
  }
}

/** A fresh sibling name for bytes in flight (or a tree being deleted): `<name>.<16 hex>.partial`. */
export function partialPathFor(target: string): string {
  let stem = path.basename(target);
  while (Buffer.byteLength(stem) > MAX_PARTIAL_STEM_BYTES) stem = stem.slice(0, -1);
  return path.join(path.dirname(target), `${stem}.${randomBytes(8).toString('hex')}.partial`);
}

/** In-flight names are never listed, read or written as artifacts. */
export const isPartialName = (name: string): boolean => PARTIAL.test(name);
