import { Inject, Injectable } from '@nestjs/common';
import { ClientProxy, NatsRecord } from '@nestjs/microservices';
import { headers as natsHeaders } from '@nats-io/nats-core';
import { lastValueFrom, timeout, TimeoutError, toArray } from 'rxjs';
import { CairnError, ErrorCode, REQUEST_ID_HEADER } from '@cairn/contracts';
import { currentRequestId } from '../logging/request-context';
import { assembleReply } from './wire-reply';

export const TRANSPORT_CLIENT = Symbol('TRANSPORT_CLIENT');
export const SERVICE_CALL_TIMEOUT_MS = Symbol('SERVICE_CALL_TIMEOUT_MS');

/**
 * Request/reply to the services over whichever transport is configured (NATS or in-process).
 * Carries the request id as a header; joins a reply sent in parts; turns a service's WireError
 * back into a CairnError.
 */
@Injectable()
export class ServiceClient {
  constructor(
    @Inject(TRANSPORT_CLIENT) private readonly client: ClientProxy,
    @Inject(SERVICE_CALL_TIMEOUT_MS) private readonly timeoutMs: number,
  ) {}

  async call<TResponse, TRequest = unknown>(pattern: string, request: TRequest, options: { timeoutMs?: number } = {}): Promise<TResponse> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const headers = natsHeaders();
    const requestId = currentRequestId();
    if (requestId) headers.set(REQUEST_ID_HEADER, requestId);
    try {
      const messages = await lastValueFrom(this.client.send<unknown>(pattern, new NatsRecord(request, headers)).pipe(timeout(timeoutMs), toArray()));
      return assembleReply(messages) as TResponse;
    } catch (err) {
      throw this.toCairnError(pattern, err, timeoutMs);
    }
  }

  private toCairnError(pattern: string, err: unknown, timeoutMs: number): CairnError {
    if (CairnError.isWireError(err)) return new CairnError(err.code, err.message);
    const service = pattern.split('.')[0];
    if (err instanceof TimeoutError) {
      return new CairnError(ErrorCode.TEMPORARILY_UNAVAILABLE, `The ${service} service did not answer within ${timeoutMs} ms.`);
    }
    const text = typeof err === 'string' ? err : err instanceof Error ? err.message : '';
    // NATS refuses to publish a request over its max_payload: the service never saw it.
    if (/max_payload/i.test(text)) {
      return new CairnError(
        ErrorCode.INVALID_PARAMETER_VALUE,
        `The request is larger than one message between Cairn's services may be (NATS max_payload); nothing was written. Send it in smaller requests, or raise max_payload.`,
      );
    }
    if (/no matching message handler|no responders|connection|closed/i.test(text)) {
      return new CairnError(ErrorCode.TEMPORARILY_UNAVAILABLE, `The ${service} service is not available.`);
    }
    return new CairnError(ErrorCode.INTERNAL_ERROR, `The ${service} service failed to answer.`);
  }
}
