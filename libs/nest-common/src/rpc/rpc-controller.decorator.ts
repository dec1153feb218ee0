import { applyDecorators, Controller, UseFilters, UseInterceptors } from '@nestjs/common';
import { RequestContextInterceptor } from './request-context.interceptor';
import { RpcErrorFilter } from './rpc-error.filter';

/** A service's message controller: request id restored, errors mapped to the wire. */
export const RpcController = () =>
  applyDecorators(Controller(), UseFilters(RpcErrorFilter), UseInterceptors(RequestContextInterceptor));
