import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { Injectable, Logger } from '@nestjs/common';
import { Observable, tap } from 'rxjs';
import { REQUEST_ID_HEADER } from '@cairn/contracts';
import { acceptOrCreateRequestId, runWithRequestContext } from '../logging/request-context';

interface HeaderBag {
  get(name: string): string | undefined;
}

/**
 * Restores the gateway's request id (sent as a message header) around each handler, and writes
 * one log line per message: the pattern, how long it took, and the error code if it failed.
 */
@Injectable()
export class RequestContextInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Rpc');

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const rpc = context.switchToRpc().getContext<{ getHeaders?: () => HeaderBag | undefined; getSubject?: () => string }>();
    const requestId = acceptOrCreateRequestId(rpc?.getHeaders?.()?.get(REQUEST_ID_HEADER));
    const pattern = rpc?.getSubject?.();
    const started = performance.now();
    const done = (error?: unknown) => {
      const ms = Math.round((performance.now() - started) * 10) / 10;
      const code = (error as { code?: string } | undefined)?.code ?? (error ? 'INTERNAL_ERROR' : undefined);
      this.logger.log({ msg: 'message', pattern, ms, ...(code && { error: code }) });
    };
    return new Observable((subscriber) =>
      runWithRequestContext({ requestId }, () =>
        next.handle().pipe(tap({ complete: () => done(), error: (err: unknown) => done(err) })).subscribe(subscriber),
      ),
    );
  }
}
