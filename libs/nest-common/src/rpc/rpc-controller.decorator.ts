import { applyDecorators, Controller, UseFilters, UseInterceptors } from '@nestjs/common';
import { RequestContextInterceptor } from './request-context.interceptor';
import { RpcErrorFilter } from './rpc-error.filter';
import { WireReplyInterceptor } from './wire-reply.interceptor';

/** A service's message controller: request id restored, errors mapped to the wire, replies of any size. */
export const RpcController = () =>
  applyDecorators(Controller(), UseFilters(RpcErrorFilter), UseInterceptors(RequestContextInterceptor, WireReplyInterceptor));
