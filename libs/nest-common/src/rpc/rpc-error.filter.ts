import type { ArgumentsHost, RpcExceptionFilter } from '@nestjs/common';
import { Catch, Logger } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { throwError } from 'rxjs';
import type { WireError } from '@cairn/contracts';
import { CairnError, ErrorCode } from '@cairn/contracts';

/**
 * Turns whatever a message handler throws into a WireError for the transport. Domain errors keep
 * their code and message; anything else is logged here and leaves as a bare INTERNAL_ERROR, so
 * no stack trace or SQL text reaches a client.
 */
@Catch()
export class RpcErrorFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger('RpcErrorFilter');

  catch(exception: unknown, _host: ArgumentsHost): Observable<WireError> {
    if (exception instanceof CairnError) return throwError(() => exception.toWire());
    this.logger.error(exception instanceof Error ? exception : String(exception));
    return throwError(() => ({ code: ErrorCode.INTERNAL_ERROR, message: 'Internal error; see the service log.' }));
  }
}
