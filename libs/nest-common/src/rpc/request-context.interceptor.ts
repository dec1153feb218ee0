import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { Observable } from 'rxjs';
import { REQUEST_ID_HEADER } from '@cairn/contracts';
import { acceptOrCreateRequestId, runWithRequestContext } from '../logging/request-context';

interface HeaderBag {
  get(name: string): string | undefined;
}

/** Restores the gateway's request id (sent as a message header) around each handler. */
@Injectable()
export class RequestContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const rpc = context.switchToRpc().getContext<{ getHeaders?: () => HeaderBag | undefined }>();
    const requestId = acceptOrCreateRequestId(rpc?.getHeaders?.()?.get(REQUEST_ID_HEADER));
    return new Observable((subscriber) =>
      runWithRequestContext({ requestId }, () => next.handle().subscribe(subscriber)),
    );
  }
}
