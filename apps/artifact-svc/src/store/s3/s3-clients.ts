import { S3Client } from '@aws-sdk/client-s3';
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import type { S3Settings } from '@cairn/config';

/** How long Cairn waits on the store before calling it unreachable (503), rather than hanging. */
export interface S3Timeouts {
  /** TCP (and TLS) connection to the endpoint. */
  connectMs: number;
  /** From sending a request to its response headers (covers one part upload of a few MiB). */
  responseMs: number;
  /** Silence on a socket mid-transfer. */
  idleMs: number;
  maxAttempts: number;
}

/** One retry: an unreachable store is reported within about 2 × connectMs. */
export const S3_TIMEOUTS: S3Timeouts = { connectMs: 2_000, responseMs: 30_000, idleMs: 120_000, maxAttempts: 2 };

export interface S3Clients {
  /** Talks to the store (the endpoint Cairn reaches). */
  data: S3Client;
  /** Signs the part URLs clients PUT to: the public endpoint when one is configured. */
  presign: S3Client;
}

export function createS3Clients(settings: S3Settings, timeouts: S3Timeouts = S3_TIMEOUTS): S3Clients {
  const base: S3ClientConfig = {
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    maxAttempts: timeouts.maxAttempts,
    // Checksums only where S3 requires them: presigned part URLs must not pin a body checksum,
    // and MinIO/S3-compatible stores differ in their support for the newer algorithms.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(settings.accessKeyId &&
      settings.secretAccessKey && { credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey } }),
  };
  const agent = { keepAlive: true, maxSockets: 128 };
  const data = new S3Client({
    ...base,
    ...(settings.endpoint && { endpoint: settings.endpoint }),
    requestHandler: {
      connectionTimeout: timeouts.connectMs,
      requestTimeout: timeouts.responseMs,
      throwOnRequestTimeout: true,
      socketTimeout: timeouts.idleMs,
      httpAgent: agent,
      httpsAgent: agent,
    },
  });
  const presign = settings.publicEndpoint ? new S3Client({ ...base, endpoint: settings.publicEndpoint }) : data;
  return { data, presign };
}
