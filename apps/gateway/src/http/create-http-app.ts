import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { HttpConfig } from '@cairn/config';
import { REQUEST_ID_HEADER } from '@cairn/contracts';
import type { JsonLogger } from '@cairn/nest-common';
import { acceptOrCreateRequestId } from '@cairn/nest-common';
import { registerArtifactUploadBody } from '../mlflow/artifacts/artifact-upload-body';
import { registerJsonBody } from './json-body';
import { MlflowErrorFilter } from './mlflow-error.filter';
import { HttpRequestContextInterceptor } from './request-context.interceptor';

/**
 * Builds the gateway's Fastify application around `module` (the gateway alone, or the whole
 * all-in-one composition). Request ids are accepted from `x-request-id` or generated, echoed in
 * the response, carried to the services and written in one access-log line per request.
 */
export async function createHttpApp(module: DynamicModule, http: HttpConfig, logger: JsonLogger): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: http.maxRequestBytes,
    genReqId: (req: { headers: Record<string, unknown> }) => acceptOrCreateRequestId(req.headers[REQUEST_ID_HEADER]),
    requestIdHeader: false,
    logger: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    bodyParser: false,
    logger,
    moduleIdGeneratorAlgorithm: 'reference',
  });
  const fastify = app.getHttpAdapter().getInstance();
  registerJsonBody(fastify, http.maxRequestBytes);
  registerArtifactUploadBody(fastify);
  fastify.addHook('onSend', async (request, reply, payload) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    return payload;
  });
  fastify.addHook('onResponse', async (request, reply) => {
    logger.event('info', 'request', {
      requestId: request.id,
      method: request.method,
      path: request.url.split('?')[0],
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    });
  });
  app.useGlobalFilters(new MlflowErrorFilter());
  app.useGlobalInterceptors(new HttpRequestContextInterceptor());
  return app;
}
