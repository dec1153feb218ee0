import type { FastifyInstance, FastifyRequest } from 'fastify';
import { invalidParameter } from '@cairn/contracts';

const CHECKED_METHODS = new Set(['POST', 'PUT']);
const isApiRoute = (url: string) =>
  (url.startsWith('/api/') || url.startsWith('/ajax-api/')) && !url.includes('/mlflow-artifacts/');

/**
 * MLflow's body rules for its JSON API: POST/PUT must say `Content-Type: application/json`
 * (server/validation.py); an empty body is `{}`; a body double-encoded as a JSON string is decoded
 * twice. Malformed JSON is a clear 400 rather than MLflow's silent `{}`.
 */
export function registerJsonBody(fastify: FastifyInstance, maxBytes: number): void {
  fastify.addHook('onRequest', async (request: FastifyRequest) => {
    if (!CHECKED_METHODS.has(request.method) || !isApiRoute(request.url)) return;
    const contentType = request.headers['content-type'];
    if (!contentType) throw invalidParameter('Bad Request. Content-Type header is missing.');
    if (contentType.split(';')[0]!.trim().toLowerCase() !== 'application/json') {
      throw invalidParameter("Bad Request. Content-Type must be one of ['application/json'].");
    }
  });
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: maxBytes }, (_req, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
}

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
