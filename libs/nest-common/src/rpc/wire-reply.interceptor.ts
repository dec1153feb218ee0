import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { from, mergeMap } from 'rxjs';
import { InProcessContext } from '../transport/in-process.transport';
import { REPLY_PART_CHARS, serializeReply } from '../transport/wire-reply';

/**
 * Serializes each reply once; in parts when it is long and goes over NATS. In one process there is
 * no message size to stay under, so a reply stays one message (not cut, escaped and joined again).
 */
@Injectable()
export class WireReplyInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const partChars = context.switchToRpc().getContext() instanceof InProcessContext ? Infinity : REPLY_PART_CHARS;
    return next.handle().pipe(mergeMap((result: unknown) => from(serializeReply(result, partChars))));
  }
}
