import type { FileHandle } from 'node:fs/promises';
import { access, constants, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { CreateMultipartUploadResponse, FileInfo } from '@cairn/contracts';
import { CairnError, ErrorCode, invalidParameter, MULTIPART_NOT_SUPPORTED, notFound } from '@cairn/contracts';
import type { ArtifactStore, CompletedPart, ObjectRead, ObjectStat } from '../artifact-store';
import { RangeNotSatisfiableError } from '../artifact-store';
import type { RangeSpec } from '../byte-range';
import { resolveRange } from '../byte-range';
import { lengthGuard } from '../length-guard';
import { withinMs } from '../within-ms';
import { fileKey, objectKey } from '../object-key';
import { diskError, errnoOf } from './disk-errors';
import { fileSink } from './file-sink';
import { DiskPaths, isPartialName, partialPathFor } from './disk-paths';

const READ_CHUNK = 256 * 1024;
const MISSING = new Set(['ENOENT', 'ENOTDIR']);
const noSuchArtifact = (key: string) => notFound(`Artifact '${key}' does not exist`);

/**
 * Artifacts as files under one root directory. Writes land in a `.partial` sibling that is
 * fsynced and renamed into place, so readers see a whole file or none; deletes rename the tree
 * aside first for the same reason.
 */
export class DiskArtifactStore implements ArtifactStore {
  readonly description = 'local disk';
  private readonly paths: DiskPaths;

  constructor(root: string) {
    this.paths = new DiskPaths(root);
  }

  async put(key: string, body: Readable, contentLength?: number): Promise<void> {
    const canonical = fileKey(key);
    const target = this.paths.resolve(canonical);
    const partial = partialPathFor(target);
    try {
      await mkdir(path.dirname(target), { recursive: true });
      await writeDurably(partial, body, contentLength);
      await rename(partial, target);
    } catch (err) {
      await rm(partial, { force: true }).catch(() => undefined);
      throw await this.unlessRootIsGone(err, () => diskError(err, canonical));
    }
    await syncDirectory(path.dirname(target)).catch((err: unknown) => {
      throw diskError(err, canonical);
    });
  }

  async get(key: string, spec?: RangeSpec): Promise<ObjectRead> {
    const canonical = objectKey(key);
    const { handle, size, mtime } = await this.openFile(canonical);
    try {
      const range = spec && resolveRange(spec, size);
      if (spec && !range) throw new RangeNotSatisfiableError(size);
      // The stream owns the handle from here: it closes it on end, error or destroy.
      const body = handle.createReadStream({ start: range?.start ?? 0, end: range?.end, highWaterMark: READ_CHUNK, autoClose: true });
      return { body, size, lastModified: mtime, ...(range && { range }) };
    } catch (err) {
      await handle.close().catch(() => undefined);
      throw diskError(err, canonical);
    }
  }

  async stat(key: string): Promise<ObjectStat> {
    const canonical = objectKey(key);
    const file = this.paths.resolve(canonical);
    if (canonical === '') throw noSuchArtifact(canonical);
    const info = await stat(file).catch(async (err: unknown) => {
      throw MISSING.has(errnoOf(err) ?? '') ? await this.unlessRootIsGone(err, () => noSuchArtifact(canonical)) : diskError(err, canonical);
    });
    if (!info.isFile()) throw noSuchArtifact(canonical);
    return { size: info.size, lastModified: info.mtime };
  }

  async list(dirKey: string): Promise<FileInfo[]> {
    const canonical = objectKey(dirKey);
    const dir = this.paths.resolve(canonical);
    const entries = await readdir(dir, { withFileTypes: true }).catch(async (err: unknown) => {
      if (!MISSING.has(errnoOf(err) ?? '')) throw diskError(err, canonical);
      const unusable = await this.unlessRootIsGone(err, () => undefined);
      if (unusable) throw unusable;
      return [];
    });
    const infos = await Promise.all(
      entries
        .filter((entry) => !isPartialName(entry.name))
        .map(async (entry): Promise<FileInfo | undefined> => {
          if (entry.isDirectory()) return { path: entry.name, is_dir: true };
          const info = await stat(path.join(dir, entry.name)).catch(() => undefined); // gone meanwhile
          if (!info) return undefined;
          return info.isDirectory() ? { path: entry.name, is_dir: true } : { path: entry.name, is_dir: false, file_size: info.size };
        }),
    );
    return infos.filter((info): info is FileInfo => info !== undefined).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async delete(prefixKey: string): Promise<void> {
    const canonical = objectKey(prefixKey);
    if (canonical === '') throw invalidParameter('Invalid path: the artifact root cannot be deleted');
    const target = this.paths.resolve(canonical);
    const doomed = partialPathFor(target);
    try {
      await rename(target, doomed);
    } catch (err) {
      if (MISSING.has(errnoOf(err) ?? '')) return;
      throw diskError(err, canonical);
    }
    await rm(doomed, { recursive: true, force: true }).catch((err: unknown) => {
      throw diskError(err, canonical);
    });
  }

  async createMultipartUpload(key: string, _numParts: number): Promise<CreateMultipartUploadResponse> {
    throw multipartNotSupported(key);
  }

  async completeMultipartUpload(key: string, _uploadId: string, _parts: CompletedPart[]): Promise<void> {
    throw multipartNotSupported(key);
  }

  async abortMultipartUpload(key: string, _uploadId: string): Promise<void> {
    throw multipartNotSupported(key);
  }

  /**
   * Ready when the root is a directory Cairn may read and write, creating it as the first upload
   * would. A root that is a file, under a file, read-only or hung (a lost network mount) is not.
   */
  async probe(timeoutMs: number): Promise<void> {
    const check = async () => {
      await mkdir(this.paths.root, { recursive: true });
      await access(this.paths.root, constants.R_OK | constants.W_OK | constants.X_OK);
      if (!(await stat(this.paths.root)).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    };
    await withinMs(check(), timeoutMs, () => storeUnusable(`did not answer within ${timeoutMs} ms`)).catch((err: unknown) => {
      throw err instanceof CairnError ? err : storeUnusable(`is not usable (${errnoOf(err) ?? (err as Error).message})`);
    });
  }

  close(): Promise<void> {
    return Promise.resolve(); // nothing held open between calls
  }

  /**
   * What a missing path (ENOENT, ENOTDIR) means: the store is unusable (503) when its root is
   * not a directory and cannot be made one (a file in its way, a lost mount); otherwise the
   * caller's `meaning` (404, or a client's parent that is a file). A root never created yet is
   * created, as the first upload would.
   */
  private async unlessRootIsGone<E>(err: unknown, meaning: () => E): Promise<E | CairnError> {
    if (!MISSING.has(errnoOf(err) ?? '')) return meaning();
    const usable = await mkdir(this.paths.root, { recursive: true }).then(
      () => true,
      () => false,
    );
    return usable ? meaning() : storeUnusable('is not usable (its root is not a directory)');
  }

  /** An open regular file with its size; a directory or a missing path is RESOURCE_DOES_NOT_EXIST. */
  private async openFile(canonical: string): Promise<{ handle: FileHandle; size: number; mtime: Date }> {
    const file = this.paths.resolve(canonical);
    if (canonical === '') throw noSuchArtifact(canonical);
    const handle = await open(file, 'r').catch(async (err: unknown) => {
      throw MISSING.has(errnoOf(err) ?? '') ? await this.unlessRootIsGone(err, () => noSuchArtifact(canonical)) : diskError(err, canonical);
    });
    const info = await handle.stat().catch(() => undefined);
    if (!info?.isFile()) {
      await handle.close().catch(() => undefined);
      throw noSuchArtifact(canonical);
    }
    return { handle, size: info.size, mtime: info.mtime };
  }
}

/** MLflow's own words, so the client falls back to a single PUT (after the key passed its check). */
function multipartNotSupported(key: string): CairnError {
  fileKey(key);
  return new CairnError(ErrorCode.NOT_IMPLEMENTED, MULTIPART_NOT_SUPPORTED);
}

async function writeDurably(file: string, body: Readable, contentLength: number | undefined): Promise<void> {
  const handle = await open(file, 'wx', 0o644);
  try {
    await pipeline(body, lengthGuard(contentLength), fileSink(handle));
  } finally {
    await handle.close();
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const storeUnusable = (why: string) => new CairnError(ErrorCode.TEMPORARILY_UNAVAILABLE, `The artifact store (local disk) ${why}; try again later.`);
