import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import { Catch, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CairnError, ErrorCode } from '@cairn/contracts';
import type { ErrorEnvelope } from '@cairn/mlflow-wire';
import { httpStatusOf } from '@cairn/mlflow-wire';
import { LOG_BATCH_MAX_BYTES } from './json-body';

/**
 * Every error leaves the gateway as MLflow's envelope with MLflow's status: domain errors keep
 * their code; unknown routes are ENDPOINT_NOT_FOUND; anything unexpected is a logged 500 whose
 * body reveals nothing but the request id.
 */
@Catch()
export class MlflowErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('MlflowErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const [status, body] = this.toEnvelope(exception, request);
    void reply.status(status).header('content-type', 'application/json').send(body);
  }

  toEnvelope(exception: unknown, request: FastifyRequest): [number, ErrorEnvelope] {
    if (exception instanceof CairnError) {
      return [httpStatusOf(exception.code), { error_code: exception.code, message: exception.message }];
    }
    const status = exception instanceof HttpException ? exception.getStatus() : (exception as { statusCode?: number })?.statusCode;
    if (status === 404) {
      const path = request.url.split('?')[0];
      return [404, { error_code: ErrorCode.ENDPOINT_NOT_FOUND, message: `No API endpoint at ${request.method} ${path}` }];
    }
    if (status === 405) return [405, { error_code: ErrorCode.BAD_REQUEST, message: `Method ${request.method} is not allowed here` }];
    if (status === 413) {
      const size = request.headers['content-length'] ?? 'unknown';
      const message = request.url.includes('/runs/log-batch')
        ? `Batched logging API requests must be at most ${LOG_BATCH_MAX_BYTES} bytes, got a request of size ${size}.`
        : `Request body of ${size} bytes is larger than this server accepts.`;
      return [413, { error_code: ErrorCode.INVALID_PARAMETER_VALUE, message }];
    }
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const message = exception instanceof Error ? exception.message : 'Bad request';
      return [400, { error_code: ErrorCode.INVALID_PARAMETER_VALUE, message }];
    }
    this.logger.error(exception instanceof Error ? exception : String(exception));
    return [500, { error_code: ErrorCode.INTERNAL_ERROR, message: `Internal error (request id ${request.id}); see the gateway log.` }];
  }
}
