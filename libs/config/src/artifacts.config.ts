import { z } from 'zod';
import type { Env } from './read-env';
import { readEnv } from './read-env';
import { host, port } from './fields';

/** Where artifact bytes land: server configuration only, never chosen by a client. */
export type ArtifactDestination =
  | { kind: 'file'; root: string }
  | { kind: 's3'; bucket: string; prefix: string; s3: S3Settings };

export interface S3Settings {
  /** e.g. http://127.0.0.1:19000 for MinIO; unset for AWS. */
  readonly endpoint?: string;
  /** The endpoint clients can reach for presigned multipart part URLs, when it differs. */
  readonly publicEndpoint?: string;
  readonly region: string;
  readonly accessKeyId?: string;
  /** Secret. */
  readonly secretAccessKey?: string;
  readonly forcePathStyle: boolean;
}

export const artifactsShape = {
  CAIRN_ARTIFACTS_DESTINATION: z.string().regex(/^(file:\/\/\/|s3:\/\/)\S+$/, 'expected file:///absolute/path or s3://bucket/prefix').optional(),
  CAIRN_S3_ENDPOINT: z.string().url().optional(),
  CAIRN_S3_PUBLIC_ENDPOINT: z.string().url().optional(),
  CAIRN_S3_REGION: z.string().min(1).default('us-east-1'),
  CAIRN_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  CAIRN_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  CAIRN_S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('true'),
};

export function toArtifactDestination(
  v: {
    CAIRN_ARTIFACTS_DESTINATION?: string;
    CAIRN_S3_ENDPOINT?: string;
    CAIRN_S3_PUBLIC_ENDPOINT?: string;
    CAIRN_S3_REGION: string;
    CAIRN_S3_ACCESS_KEY_ID?: string;
    CAIRN_S3_SECRET_ACCESS_KEY?: string;
    CAIRN_S3_FORCE_PATH_STYLE: 'true' | 'false';
  },
  fallbackRoot: string,
): ArtifactDestination {
  const destination = v.CAIRN_ARTIFACTS_DESTINATION ?? `file://${fallbackRoot}`;
  if (destination.startsWith('file://')) return { kind: 'file', root: decodeURIComponent(destination.slice('file://'.length)) };
  const [bucket, ...rest] = destination.slice('s3://'.length).split('/');
  return {
    kind: 's3',
    bucket: bucket!,
    prefix: rest.filter(Boolean).join('/'),
    s3: {
      endpoint: v.CAIRN_S3_ENDPOINT,
      publicEndpoint: v.CAIRN_S3_PUBLIC_ENDPOINT,
      region: v.CAIRN_S3_REGION,
      accessKeyId: v.CAIRN_S3_ACCESS_KEY_ID,
      secretAccessKey: v.CAIRN_S3_SECRET_ACCESS_KEY,
      forcePathStyle: v.CAIRN_S3_FORCE_PATH_STYLE === 'true',
    },
  };
}

export interface ArtifactServiceSettings {
  readonly destination: ArtifactDestination;
  /** The internal data plane (bytes) that only the gateway talks to. */
  readonly dataPlanePort: number;
  readonly dataPlaneHost: string;
}

/** artifact-svc's own settings (its database and NATS come from readServiceConfig). */
export function readArtifactServiceSettings(env: Env = process.env): ArtifactServiceSettings {
  const v = readEnv(
    {
      ...artifactsShape,
      CAIRN_ARTIFACTS_DESTINATION: artifactsShape.CAIRN_ARTIFACTS_DESTINATION.unwrap(),
      CAIRN_ARTIFACTS_PORT: port(5001),
      CAIRN_ARTIFACTS_HOST: host,
    },
    env,
  );
  return Object.freeze({
    destination: toArtifactDestination(v, ''),
    dataPlanePort: v.CAIRN_ARTIFACTS_PORT,
    dataPlaneHost: v.CAIRN_ARTIFACTS_HOST,
  });
}
