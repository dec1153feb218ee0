import type { OnApplicationShutdown } from '@nestjs/common';
import { Inject, Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import type {
  AbortMultipartUploadRequest,
  CompleteMultipartUploadRequest,
  CreateMultipartUploadRequest,
  CreateMultipartUploadResponse,
  ListArtifactsResponse,
} from '@cairn/contracts';
import { invalidParameter } from '@cairn/contracts';
import type { ArtifactStore, ObjectRead, ObjectStat } from '../store/artifact-store';
import { ARTIFACT_STORE } from '../store/artifact-store';
import type { RangeSpec } from '../store/byte-range';

/**
 * Artifact objects: what the NATS control plane and the HTTP data plane both ask for. Keys are
 * canonicalized by the store itself; this checks the rest of each request's shape.
 */
@Injectable()
export class ObjectsService implements OnApplicationShutdown {
  constructor(@Inject(ARTIFACT_STORE) private readonly store: ArtifactStore) {}

  put(key: string, body: Readable, contentLength?: number): Promise<void> {
    return this.store.put(key, body, contentLength);
  }

  get(key: string, range?: RangeSpec): Promise<ObjectRead> {
    return this.store.get(key, range);
  }

  stat(key: string): Promise<ObjectStat> {
    return this.store.stat(key);
  }

  async list(path: string | undefined): Promise<ListArtifactsResponse> {
    return { files: await this.store.list(text(path ?? '', 'path')) };
  }

  delete(path: string): Promise<void> {
    return this.store.delete(text(path, 'path'));
  }

  createMultipartUpload(req: CreateMultipartUploadRequest): Promise<CreateMultipartUploadResponse> {
    return this.store.createMultipartUpload(text(req.path, 'path'), req.num_parts);
  }

  completeMultipartUpload(req: CompleteMultipartUploadRequest): Promise<void> {
    return this.store.completeMultipartUpload(text(req.path, 'path'), text(req.upload_id, 'upload_id'), req.parts);
  }

  abortMultipartUpload(req: AbortMultipartUploadRequest): Promise<void> {
    return this.store.abortMultipartUpload(text(req.path, 'path'), text(req.upload_id, 'upload_id'));
  }

  /** Readiness: the store answers. */
  probe(timeoutMs: number): Promise<void> {
    return this.store.probe(timeoutMs);
  }

  onApplicationShutdown(): Promise<void> {
    return this.store.close();
  }
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string') throw invalidParameter(`${field} must be a string`);
  return value;
}
