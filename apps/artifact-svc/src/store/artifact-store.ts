import type { Readable } from 'node:stream';
import type { CreateMultipartUploadResponse, FileInfo } from '@cairn/contracts';
import type { ByteRange, RangeSpec } from './byte-range';

/** Nest injection token of the one ArtifactStore a service instance uses. */
export const ARTIFACT_STORE = Symbol('ARTIFACT_STORE');

export interface ObjectStat {
  size: number;
  lastModified?: Date;
}

export interface ObjectRead extends ObjectStat {
  /** The bytes; the caller must consume or destroy it (destroying releases the file or socket). */
  body: Readable;
  /** Set when only part of the object is served (HTTP 206); inclusive offsets. */
  range?: ByteRange;
}

export interface CompletedPart {
  part_number: number;
  etag: string;
}

/**
 * Where artifact bytes live: one interface, a backend per destination scheme (file://, s3://).
 * Every key is an object key relative to the destination; each backend runs it through
 * `canonicalArtifactPath` itself before touching storage. A missing object is
 * RESOURCE_DOES_NOT_EXIST, a store that cannot be reached is TEMPORARILY_UNAVAILABLE.
 */
export interface ArtifactStore {
  /** What the store is, for messages: never a credential, never a server-local path. */
  readonly description: string;
  /** Streams `body` to `key`; the object becomes visible whole, or not at all. */
  put(key: string, body: Readable, contentLength?: number): Promise<void>;
  /** Opens `key` for reading, whole or the bytes of `range`; a directory is not an object. */
  get(key: string, range?: RangeSpec): Promise<ObjectRead>;
  stat(key: string): Promise<ObjectStat>;
  /** Immediate children of a directory key ('' is the root): basenames, sizes for files only. */
  list(dirKey: string): Promise<FileInfo[]>;
  /** Deletes `key` and everything under it; a missing key is not an error. */
  delete(prefixKey: string): Promise<void>;
  createMultipartUpload(key: string, numParts: number): Promise<CreateMultipartUploadResponse>;
  completeMultipartUpload(key: string, uploadId: string, parts: CompletedPart[]): Promise<void>;
  abortMultipartUpload(key: string, uploadId: string): Promise<void>;
  /** Resolves when the store can serve (readiness); rejects TEMPORARILY_UNAVAILABLE, within `timeoutMs`, saying why. */
  probe(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/** The requested range lies outside the object (HTTP 416, `Content-Range: bytes *\/size`). */
export class RangeNotSatisfiableError extends Error {
  constructor(readonly size: number) {
    super(`Requested range not satisfiable (object size ${size} bytes)`);
    this.name = 'RangeNotSatisfiableError';
  }
}
