import type { S3Client } from '@aws-sdk/client-s3';
import { AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { CreateMultipartUploadResponse } from '@cairn/contracts';
import { invalidParameter } from '@cairn/contracts';
import type { CompletedPart } from '../artifact-store';
import type { S3Clients } from './s3-clients';
import type { S3Location } from './s3-location';

export const MAX_PARTS = 10_000;
/** Lifetime of a presigned part URL (MLflow's S3 repository uses boto's default, one hour). */
export const PART_URL_TTL_SECONDS = 3600;

/**
 * MLflow's proxy multipart upload on S3: Cairn opens the upload and hands out presigned
 * `UploadPart` URLs, the client PUTs the parts straight to the store, then Cairn completes it.
 * Keys arrive canonical; errors are mapped by the caller.
 */
export class S3Multipart {
  constructor(
    private readonly clients: S3Clients,
    private readonly location: S3Location,
  ) {}

  private get client(): S3Client {
    return this.clients.data;
  }

  async create(key: string, numParts: number): Promise<CreateMultipartUploadResponse> {
    if (!Number.isInteger(numParts) || numParts < 1 || numParts > MAX_PARTS) {
      throw invalidParameter(`num_parts must be an integer between 1 and ${MAX_PARTS}, got ${numParts}`);
    }
    const target = { Bucket: this.location.bucket, Key: this.location.objectName(key) };
    const { UploadId } = await this.client.send(new CreateMultipartUploadCommand(target));
    if (!UploadId) throw new Error('CreateMultipartUpload returned no UploadId');
    const credentials = await Promise.all(
      Array.from({ length: numParts }, async (_, index) => {
        const command = new UploadPartCommand({ ...target, UploadId, PartNumber: index + 1 });
        const url = await getSignedUrl(this.clients.presign, command, { expiresIn: PART_URL_TTL_SECONDS });
        return { url, part_number: index + 1, headers: {} };
      }),
    );
    return { upload_id: UploadId, credentials };
  }

  async complete(key: string, uploadId: string, parts: CompletedPart[]): Promise<void> {
    requireUploadId(uploadId);
    if (!Array.isArray(parts) || parts.length === 0) throw invalidParameter('parts must list at least one uploaded part');
    const sorted = parts.map(checkedPart).sort((a, b) => a.PartNumber - b.PartNumber);
    await this.client.send(
      new CompleteMultipartUploadCommand({
        Bucket: this.location.bucket,
        Key: this.location.objectName(key),
        UploadId: uploadId,
        MultipartUpload: { Parts: sorted },
      }),
    );
  }

  async abort(key: string, uploadId: string): Promise<void> {
    requireUploadId(uploadId);
    await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.location.bucket, Key: this.location.objectName(key), UploadId: uploadId }));
  }
}

function requireUploadId(uploadId: string): void {
  if (typeof uploadId !== 'string' || uploadId === '') throw invalidParameter('upload_id is required');
}

function checkedPart(part: CompletedPart): { PartNumber: number; ETag: string } {
  const { part_number: number, etag } = part ?? {};
  if (!Number.isInteger(number) || number < 1 || number > MAX_PARTS || typeof etag !== 'string' || etag === '') {
    throw invalidParameter(`Invalid part: ${JSON.stringify(part)}`);
  }
  return { PartNumber: number, ETag: etag };
}
