import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { from, mergeMap } from 'rxjs';
import { serializeReply } from '../transport/wire-reply';

/** Serializes each reply once, in parts when it is long (transport/wire-reply.ts). */
@Injectable()
export class WireReplyInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(mergeMap((result: unknown) => from(serializeReply(result))));
  }
}
