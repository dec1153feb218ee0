import { CairnError, ErrorCode, invalidParameter, notFound } from '@cairn/contracts';
import { RangeNotSatisfiableError } from '../artifact-store';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ECONNABORTED',
]);
const CLIENT_MISTAKES = new Set(['InvalidPart', 'InvalidPartOrder', 'EntityTooSmall', 'EntityTooLarge', 'MalformedXML', 'InvalidArgument']);
const REFUSED = new Set(['AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'InvalidToken', 'CredentialsProviderError']);
const OVERLOADED = new Set(['TimeoutError', 'RequestTimeout', 'SlowDown', 'ServiceUnavailable', 'InternalError', 'XMinioServerNotInitialized']);

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/**
 * An S3 SDK error as a domain error. A missing object is RESOURCE_DOES_NOT_EXIST; anything that
 * means the store cannot serve us (network, timeouts, 5xx, credentials, a missing bucket) is
 * TEMPORARILY_UNAVAILABLE with a message that names the store but no endpoint or credential.
 */
export function s3Error(err: unknown, store: string, key: string): Error {
  if (err instanceof CairnError || err instanceof RangeNotSatisfiableError) return err;
  const { name = '', code, message = '', $metadata } = (err ?? {}) as SdkError;
  const status = $metadata?.httpStatusCode;
  if (name === 'NoSuchUpload') return notFound(`Multipart upload for '${key}' does not exist (completed, aborted or never created)`);
  if (name === 'NoSuchBucket') return unavailable(store, 'has no such bucket');
  if (name === 'NoSuchKey' || name === 'NotFound' || status === 404) return notFound(`Artifact '${key}' does not exist`);
  if (CLIENT_MISTAKES.has(name)) return invalidParameter(`${name}: ${message}`);
  if (REFUSED.has(name) || status === 401 || status === 403) return unavailable(store, `refused Cairn's credentials (${name || status})`);
  if (OVERLOADED.has(name) || NETWORK_CODES.has(code ?? '') || (status !== undefined && status >= 500)) {
    return unavailable(store, `is unreachable (${code || name || status})`);
  }
  return err instanceof Error ? err : new Error(String(err));
}

function unavailable(store: string, reason: string): CairnError {
  return new CairnError(ErrorCode.TEMPORARILY_UNAVAILABLE, `The artifact store (${store}) ${reason}; try again later.`);
}
