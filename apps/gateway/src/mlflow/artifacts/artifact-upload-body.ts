import type { FastifyInstance, FastifyRequest } from 'fastify';

/** The private media type artifact uploads are given, so no body parser ever reads them. */
export const ARTIFACT_STREAM_TYPE = 'application/x-cairn-artifact-stream';
const UPLOAD_ROUTE = /^\/(?:api|ajax-api)\/2\.0\/mlflow-artifacts\/artifacts\//;
const UI_UPLOAD_ROUTE = /^\/ajax-api\/2\.0\/mlflow\/upload-artifact(?:\?|$)/;

/**
 * Artifact uploads (`PUT …/mlflow-artifacts/artifacts/<path>`, and the UI's
 * `POST /ajax-api/2.0/mlflow/upload-artifact`) carry raw bytes of any
 * Content-Type (the client sends its guess: text/plain, application/json, image/png…). Their
 * Content-Type is replaced by a private one whose parser consumes nothing, so the handler can
 * stream `request.raw` to artifact-svc unread, unbuffered and unbounded by the JSON body limit.
 */
export function registerArtifactUploadBody(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request: FastifyRequest) => {
    if ((request.method === 'PUT' && UPLOAD_ROUTE.test(request.url)) || (request.method === 'POST' && UI_UPLOAD_ROUTE.test(request.url))) {
      request.headers['content-type'] = ARTIFACT_STREAM_TYPE;
    }
  });
  fastify.addContentTypeParser(ARTIFACT_STREAM_TYPE, (_request, _payload, done) => done(null, undefined));
}
