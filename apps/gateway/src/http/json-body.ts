import type { FastifyInstance, FastifyRequest } from 'fastify';
import { invalidParameter } from '@cairn/contracts';

/** MLflow's MAX_BATCH_LOG_REQUEST_SIZE. */
export const LOG_BATCH_MAX_BYTES = 1_000_000;
const CHECKED_METHODS = new Set(['POST', 'PUT']);
// Artifact uploads carry raw bytes (artifact-upload-body.ts), as MLflow's upload-artifact does too.
const isApiRoute = (url: string) =>
  (url.startsWith('/api/') || url.startsWith('/ajax-api/')) && !url.includes('/mlflow-artifacts/') && !url.startsWith('/ajax-api/2.0/mlflow/upload-artifact');

/**
 * MLflow's body rules for its JSON API: POST/PUT must say `Content-Type: application/json`
 * (server/validation.py); an empty body is `{}`; a body double-encoded as a JSON string is decoded
 * twice. Malformed JSON is a clear 400 rather than MLflow's silent `{}`.
 */
export function registerJsonBody(fastify: FastifyInstance, maxBytes: number): void {
  fastify.addHook('onRequest', async (request: FastifyRequest) => {
    if (!CHECKED_METHODS.has(request.method) || !isApiRoute(request.url)) return;
    const contentType = request.headers['content-type'];
    // Cairn's own API (not MLflow's) takes body-less POSTs such as `…/cancel`.
    if (!contentType && request.url.startsWith('/api/cairn/') && !hasBody(request)) return;
    if (!contentType) throw invalidParameter('Bad Request. Content-Type header is missing.');
    if (contentType.split(';')[0]!.trim().toLowerCase() !== 'application/json') {
      throw invalidParameter("Bad Request. Content-Type must be one of ['application/json'].");
    }
  });
  fastify.addHook('onRoute', (route) => {
    if (route.url.endsWith('/runs/log-batch')) route.bodyLimit = Math.min(LOG_BATCH_MAX_BYTES, maxBytes);
  });
  // No bodyLimit here: the route's (or the server's) applies, checked against Content-Length
  // before a byte of an over-long body is read.
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
}

const hasBody = (request: FastifyRequest) =>
  request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;

export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
    if (typeof value === 'string') value = JSON.parse(value);
  } catch {
    throw invalidParameter('Malformed JSON in request body.');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidParameter('Request body must be a JSON object.');
  }
  return value;
}
