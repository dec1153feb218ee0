import http from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import type { OnModuleDestroy } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ARTIFACT_DATA_PLANE_HEALTH_PATH, ARTIFACT_OBJECTS_PATH, CairnError, ErrorCode, REQUEST_ID_HEADER } from '@cairn/contracts';
import { currentRequestId, SERVICE_CALL_TIMEOUT_MS } from '@cairn/nest-common';

export const ARTIFACTS_URL = Symbol('ARTIFACTS_URL');
/** An artifact-svc that does not take the connection within this long is reported down. */
export const CONNECT_TIMEOUT_MS = 5_000;
const MAX_ERROR_BODY_BYTES = 64 * 1024;

export interface ArtifactDownload {
  /** 200, 206 (a Range was served) or 416 (the Range lies outside the object). */
  status: number;
  headers: IncomingHttpHeaders;
  body: IncomingMessage;
}

/** Exchanges given up on purpose, whose socket errors are expected and not worth a warning. */
const retired = new WeakSet<http.ClientRequest>();

const unavailable = (why: string) =>
  new CairnError(ErrorCode.TEMPORARILY_UNAVAILABLE, `The artifact service is not available (${why}); try again shortly.`);

/**
 * The gateway's side of artifact-svc's internal HTTP data plane (libs/contracts, artifacts.ts).
 * Bytes are piped straight through with backpressure: nothing is buffered whole, nothing
 * touches the disk. `signal` aborts the upstream exchange when the client goes away.
 */
@Injectable()
export class ArtifactDataPlane implements OnModuleDestroy {
  private readonly logger = new Logger('ArtifactDataPlane');
  private readonly base: URL;
  private readonly client: typeof http | typeof https;
  private readonly agent: http.Agent;

  constructor(
    @Inject(ARTIFACTS_URL) baseUrl: string,
    @Inject(SERVICE_CALL_TIMEOUT_MS) private readonly timeoutMs: number,
  ) {
    this.base = new URL(baseUrl.replace(/\/$/, ''));
    this.client = this.base.protocol === 'https:' ? https : http;
    this.agent = new this.client.Agent({ keepAlive: true, maxSockets: 512 });
  }

  onModuleDestroy(): void {
    this.agent.destroy();
  }

  /** Streams `body` into the object `key`; resolves once artifact-svc has stored it. */
  upload(key: string, body: Readable, contentLength: number | undefined, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/octet-stream' };
      if (contentLength !== undefined) headers['content-length'] = contentLength;
      const request = this.open('PUT', key, headers, signal, reject);
      let answered = false;
      request.on('response', (response) => {
        answered = true;
        if (isSuccess(response.statusCode)) {
          response.resume();
          response.on('end', () => resolve());
          response.on('error', reject);
        } else {
          // refused before the body was all sent (a bad key, a full disk): stop sending
          body.unpipe(request);
          void errorOf(response).then((err) => {
            retired.add(request);
            request.destroy();
            reject(err);
          }, reject);
        }
      });
      // After the last byte is sent, artifact-svc has timeoutMs to confirm the object is stored.
      request.on('finish', () => answered || this.awaitResponse(request, 'store the upload'));
      pipeline(body, request, (err) => {
        if (err) request.destroy(err);
      });
    });
  }

  /** Opens the object `key` for reading; the caller pipes `body` on (or destroys it). HEAD reads no bytes. */
  download(
    key: string,
    range: { range?: string; ifRange?: string },
    signal: AbortSignal,
    method: 'GET' | 'HEAD' = 'GET',
  ): Promise<ArtifactDownload> {
    return new Promise((resolve, reject) => {
      const headers: http.OutgoingHttpHeaders = {};
      if (range.range) headers.range = range.range;
      if (range.ifRange) headers['if-range'] = range.ifRange;
      const request = this.open(method, key, headers, signal, reject);
      this.awaitResponse(request, 'answer');
      request.on('response', (response) => {
        const status = response.statusCode ?? 0;
        if (isSuccess(status) || status === 416) resolve({ status, headers: response.headers, body: response });
        else void errorOf(response).then(reject, reject);
      });
      request.end();
    });
  }

  /**
   * Readiness of the data plane and of the store behind it: resolves when artifact-svc's
   * `GET /health` answers 200 within `timeoutMs`, else rejects TEMPORARILY_UNAVAILABLE saying why.
   */
  probe(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const request = this.client.request({
        protocol: this.base.protocol,
        hostname: this.base.hostname,
        port: this.base.port,
        path: `${this.base.pathname.replace(/\/$/, '')}${ARTIFACT_DATA_PLANE_HEALTH_PATH}`,
        agent: this.agent,
      });
      const timer = setTimeout(() => request.destroy(unavailable(`its data plane did not answer within ${timeoutMs} ms`)), timeoutMs);
      request.once('close', () => clearTimeout(timer));
      request.on('response', (response) => {
        if (isSuccess(response.statusCode)) {
          response.resume();
          resolve();
        } else void errorOf(response).then(reject, reject);
      });
      request.on('error', (err: NodeJS.ErrnoException) =>
        reject(err instanceof CairnError ? err : unavailable(`its data plane is unreachable: ${err.code ?? err.message}`)),
      );
      request.end();
    });
  }

  private open(
    method: string,
    key: string,
    headers: http.OutgoingHttpHeaders,
    signal: AbortSignal,
    reject: (err: unknown) => void,
  ): http.ClientRequest {
    const requestId = currentRequestId();
    if (requestId) headers[REQUEST_ID_HEADER] = requestId;
    const path = `${this.base.pathname.replace(/\/$/, '')}${ARTIFACT_OBJECTS_PATH}${key.split('/').map(encodeURIComponent).join('/')}`;
    const request = this.client.request({
      protocol: this.base.protocol,
      hostname: this.base.hostname,
      port: this.base.port,
      path,
      method,
      headers,
      agent: this.agent,
      signal,
    });
    request.on('error', (err: NodeJS.ErrnoException) => {
      if (signal.aborted || retired.has(request)) return reject(err);
      this.logger.warn(`${method} ${this.base.origin}${path}: ${err.code ?? err.message}`);
      reject(err instanceof CairnError ? err : unavailable(err.code ?? err.message));
    });
    request.on('socket', (socket) => {
      if (!socket.connecting) return;
      const timer = setTimeout(() => request.destroy(unavailable(`no connection within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
      socket.once('connect', () => clearTimeout(timer));
      socket.once('close', () => clearTimeout(timer));
    });
    return request;
  }

  private awaitResponse(request: http.ClientRequest, what: string): void {
    const timer = setTimeout(() => request.destroy(unavailable(`it did not ${what} within ${this.timeoutMs} ms`)), this.timeoutMs);
    request.once('response', () => clearTimeout(timer));
    request.once('close', () => clearTimeout(timer));
  }
}

const isSuccess = (status: number | undefined) => status !== undefined && status >= 200 && status < 300;

/** artifact-svc answers errors as a WireError `{code, message}`; anything else is judged by status. */
async function errorOf(response: IncomingMessage): Promise<CairnError> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_ERROR_BODY_BYTES) {
      response.destroy();
      break;
    }
    chunks.push(chunk);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    body = undefined;
  }
  if (CairnError.isWireError(body)) return new CairnError(body.code, body.message);
  const status = response.statusCode ?? 500;
  if (status === 404) return new CairnError(ErrorCode.RESOURCE_DOES_NOT_EXIST, 'Artifact not found.');
  if (status === 502 || status === 503 || status === 504) return unavailable(`status ${status}`);
  return new CairnError(ErrorCode.INTERNAL_ERROR, `The artifact service failed (status ${status}).`);
}
