import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { Logger } from '@nestjs/common';
import type { _Object, CommonPrefix } from '@aws-sdk/client-s3';
import { DeleteObjectsCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { S3Settings } from '@cairn/config';
import type { CreateMultipartUploadResponse, FileInfo } from '@cairn/contracts';
import { CairnError, ErrorCode, invalidParameter, notFound } from '@cairn/contracts';
import type { ArtifactStore, CompletedPart, ObjectRead, ObjectStat } from '../artifact-store';
import { RangeNotSatisfiableError } from '../artifact-store';
import type { RangeSpec } from '../byte-range';
import { parseContentRange, rangeHeaderOf } from '../byte-range';
import { lengthGuard } from '../length-guard';
import { fileKey, objectKey } from '../object-key';
import type { S3Clients, S3Timeouts } from './s3-clients';
import { createS3Clients } from './s3-clients';
import { s3Error } from './s3-errors';
import { S3Location } from './s3-location';
import { MAX_PARTS, S3Multipart } from './s3-multipart';

const MIN_PART_BYTES = 8 * 1024 * 1024;
/** Parts in flight per upload: memory stays near QUEUE_SIZE × part size, whatever the object size. */
const QUEUE_SIZE = 4;
const DELETE_BATCH = 1000;
const logger = new Logger('S3ArtifactStore');

/**
 * Artifacts as objects in an S3-compatible bucket (AWS S3, MinIO) under an optional prefix.
 * Uploads stream through lib-storage's Upload (one PUT, or a multipart upload that is aborted on
 * any error, so a failed upload leaves nothing); directories are key prefixes.
 */
export class S3ArtifactStore implements ArtifactStore {
  readonly description: string;
  private readonly location: S3Location;
  private readonly clients: S3Clients;
  private readonly multipart: S3Multipart;

  constructor(bucket: string, prefix: string, settings: S3Settings, timeouts?: S3Timeouts) {
    this.location = new S3Location(bucket, prefix);
    this.description = this.location.description;
    this.clients = createS3Clients(settings, timeouts);
    this.multipart = new S3Multipart(this.clients, this.location);
  }

  async put(key: string, body: Readable, contentLength?: number): Promise<void> {
    const canonical = fileKey(key);
    const source = pipeline(body, lengthGuard(contentLength), () => undefined);
    const upload = new Upload({
      client: this.clients.data,
      params: { Bucket: this.location.bucket, Key: this.location.objectName(canonical), Body: source },
      partSize: Math.max(MIN_PART_BYTES, Math.ceil((contentLength ?? 0) / MAX_PARTS)),
      queueSize: QUEUE_SIZE,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (err) {
      source.destroy();
      throw this.error(err, canonical);
    }
  }

  async get(key: string, range?: RangeSpec): Promise<ObjectRead> {
    const canonical = objectKey(key);
    if (canonical === '') throw notFound(`Artifact '' does not exist`);
    try {
      const out = await this.clients.data.send(
        new GetObjectCommand({ Bucket: this.location.bucket, Key: this.location.objectName(canonical), ...(range && { Range: rangeHeaderOf(range) }) }),
      );
      const body = out.Body as Readable;
      const served = parseContentRange(out.ContentRange);
      const size = served?.size ?? out.ContentLength ?? 0;
      return { body, size, ...(out.LastModified && { lastModified: out.LastModified }), ...(served?.range && { range: served.range }) };
    } catch (err) {
      if ((err as { name?: string }).name === 'InvalidRange') throw new RangeNotSatisfiableError((await this.stat(canonical)).size);
      throw this.error(err, canonical);
    }
  }

  async stat(key: string): Promise<ObjectStat> {
    const canonical = objectKey(key);
    if (canonical === '') throw notFound(`Artifact '' does not exist`);
    try {
      const out = await this.clients.data.send(new HeadObjectCommand({ Bucket: this.location.bucket, Key: this.location.objectName(canonical) }));
      return { size: out.ContentLength ?? 0, ...(out.LastModified && { lastModified: out.LastModified }) };
    } catch (err) {
      throw this.error(err, canonical);
    }
  }

  async list(dirKey: string): Promise<FileInfo[]> {
    const canonical = objectKey(dirKey);
    const prefix = this.location.childrenPrefix(canonical);
    const files: FileInfo[] = [];
    const dirs: FileInfo[] = [];
    try {
      for await (const page of this.pages(prefix, '/')) {
        for (const common of page.CommonPrefixes ?? []) pushDir(dirs, common, prefix);
        for (const object of page.Contents ?? []) pushFile(files, object, prefix);
      }
    } catch (err) {
      throw this.error(err, canonical);
    }
    return [...dirs, ...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async delete(prefixKey: string): Promise<void> {
    const canonical = objectKey(prefixKey);
    if (canonical === '') throw invalidParameter('Invalid path: the artifact root cannot be deleted');
    try {
      const batch: string[] = [this.location.objectName(canonical)];
      for await (const page of this.pages(this.location.childrenPrefix(canonical))) {
        for (const object of page.Contents ?? []) if (object.Key) batch.push(object.Key);
        while (batch.length >= DELETE_BATCH) await this.deleteObjects(batch.splice(0, DELETE_BATCH));
      }
      if (batch.length > 0) await this.deleteObjects(batch);
    } catch (err) {
      throw this.error(err, canonical);
    }
  }

  async createMultipartUpload(key: string, numParts: number): Promise<CreateMultipartUploadResponse> {
    const canonical = fileKey(key);
    try {
      return await this.multipart.create(canonical, numParts);
    } catch (err) {
      throw this.error(err, canonical);
    }
  }

  async completeMultipartUpload(key: string, uploadId: string, parts: CompletedPart[]): Promise<void> {
    const canonical = fileKey(key);
    try {
      await this.multipart.complete(canonical, uploadId, parts);
    } catch (err) {
      throw this.error(err, canonical);
    }
  }

  async abortMultipartUpload(key: string, uploadId: string): Promise<void> {
    const canonical = fileKey(key);
    try {
      await this.multipart.abort(canonical, uploadId);
    } catch (err) {
      if ((err as { name?: string }).name === 'NoSuchUpload') return; // already gone: aborting is idempotent
      throw this.error(err, canonical);
    }
  }

  /** Ready when the bucket answers to Cairn's credentials within `timeoutMs`. */
  async probe(timeoutMs: number): Promise<void> {
    try {
      await this.clients.data.send(new HeadBucketCommand({ Bucket: this.location.bucket }), { abortSignal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      const { name, $metadata } = err as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (name === 'NotFound' || name === 'NoSuchBucket' || $metadata?.httpStatusCode === 404) throw this.error({ name: 'NoSuchBucket' }, '');
      if (name === 'AbortError' || name === 'TimeoutError') {
        throw this.error(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { name: 'TimeoutError' }), '');
      }
      throw this.error(err, '');
    }
  }

  async close(): Promise<void> {
    this.clients.data.destroy();
    if (this.clients.presign !== this.clients.data) this.clients.presign.destroy();
  }

  private async *pages(prefix: string, delimiter?: string) {
    let token: string | undefined;
    do {
      const page = await this.clients.data.send(
        new ListObjectsV2Command({ Bucket: this.location.bucket, Prefix: prefix, ContinuationToken: token, ...(delimiter && { Delimiter: delimiter }) }),
      );
      yield page;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  private async deleteObjects(keys: string[]): Promise<void> {
    const out = await this.clients.data.send(
      new DeleteObjectsCommand({ Bucket: this.location.bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }),
    );
    const failed = out.Errors?.[0];
    if (failed) throw Object.assign(new Error(`DeleteObjects failed for ${failed.Key}: ${failed.Message}`), { name: failed.Code ?? 'InternalError' });
  }

  private error(err: unknown, key: string): Error {
    const mapped = s3Error(err, this.description, key);
    if (mapped instanceof CairnError && mapped.code === ErrorCode.TEMPORARILY_UNAVAILABLE) {
      logger.warn(`${mapped.message} Cause: ${(err as Error | undefined)?.message ?? String(err)}`);
    }
    return mapped;
  }
}

function pushDir(into: FileInfo[], common: CommonPrefix, prefix: string): void {
  const name = common.Prefix?.slice(prefix.length).replace(/\/+$/, '');
  if (name && !name.includes('/')) into.push({ path: name, is_dir: true });
}

function pushFile(into: FileInfo[], object: _Object, prefix: string): void {
  const name = object.Key?.slice(prefix.length);
  if (name && !name.includes('/')) into.push({ path: name, is_dir: false, file_size: object.Size ?? 0 });
}
