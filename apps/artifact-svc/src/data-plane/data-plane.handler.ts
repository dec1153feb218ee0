import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { finished, PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Logger } from '@nestjs/common';
import { ARTIFACT_DATA_PLANE_HEALTH_PATH, ErrorCode, REQUEST_ID_HEADER } from '@cairn/contracts';
import { acceptOrCreateRequestId, runWithRequestContext } from '@cairn/nest-common';
import type { ObjectsService } from '../objects/objects.service';
import type { ObjectRead, ObjectStat } from '../store/artifact-store';
import type { RangeSpec } from '../store/byte-range';
import { ifRangeMatches, parseRangeHeader } from '../store/byte-range';
import { HttpError, sendError, sendJson } from './http-replies';
import { objectKeyFromUrl } from './object-url';

/** The store gets this long to answer the gateway's readiness probe of the data plane. */
const HEALTH_PROBE_TIMEOUT_MS = 1500;

/**
 * The data plane's request handler: PUT, GET (with Range) and HEAD on `/objects/<key>`, bytes
 * streamed between the socket and the store with backpressure, never buffered whole; and
 * `GET /health` for the gateway's readiness.
 */
export class DataPlaneHandler {
  private readonly logger = new Logger('DataPlane');

  constructor(private readonly objects: ObjectsService) {}

  readonly listener = (req: IncomingMessage, res: ServerResponse): void => {
    const requestId = acceptOrCreateRequestId(req.headers[REQUEST_ID_HEADER]);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    const started = performance.now();
    runWithRequestContext({ requestId }, () => {
      this.handle(req, res)
        .catch((err: unknown) => sendError(req, res, err))
        .finally(() => {
          const ms = Math.round(performance.now() - started);
          this.logger.debug({ msg: 'data plane', method: req.method, url: req.url, status: res.statusCode, ms });
        });
    });
  };

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'GET' && req.url === ARTIFACT_DATA_PLANE_HEALTH_PATH) {
      await this.objects.probe(HEALTH_PROBE_TIMEOUT_MS);
      return sendJson(res, 200, { store: 'ok' });
    }
    const key = objectKeyFromUrl(req.url ?? '');
    if (key === undefined) throw new HttpError(404, ErrorCode.ENDPOINT_NOT_FOUND, `No data-plane route for ${req.method} ${req.url}`);
    switch (req.method) {
      case 'PUT':
        return this.upload(key, req, res);
      case 'GET':
        return this.download(key, req, res);
      case 'HEAD':
        return this.head(key, res);
      default:
        throw new HttpError(405, ErrorCode.ENDPOINT_NOT_FOUND, `Method ${req.method} is not allowed on objects`, { Allow: 'GET, HEAD, PUT' });
    }
  }

  private async upload(key: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const declared = req.headers['content-length'];
    const chunked = /\bchunked\b/i.test(req.headers['transfer-encoding'] ?? '');
    if (declared === undefined && !chunked) {
      throw new HttpError(411, ErrorCode.BAD_REQUEST, 'A PUT needs a body: send Content-Length or chunked Transfer-Encoding');
    }
    await this.objects.put(key, detachedBody(req), chunked ? undefined : Number(declared));
    sendJson(res, 200, {});
  }

  private async download(key: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const read = await this.objects.get(key, await this.rangeOf(key, req));
    const { range } = read;
    res.writeHead(range ? 206 : 200, {
      ...objectHeaders(read, range ? range.end - range.start + 1 : read.size),
      ...(range && { 'Content-Range': `bytes ${range.start}-${range.end}/${read.size}` }),
    });
    // pipeline destroys the store's stream (closing its file or socket) if the client goes away.
    await pipeline(read.body, res).catch((err: unknown) => {
      if (!req.socket.destroyed) this.logger.warn(`download of '${key}' failed mid-stream: ${(err as Error).message}`);
      res.destroy();
    });
  }

  /** The Range to serve: none unless asked for, and none if an If-Range validator is stale. */
  private async rangeOf(key: string, req: IncomingMessage): Promise<RangeSpec | undefined> {
    const spec = parseRangeHeader(req.headers.range);
    const ifRange = req.headers['if-range'];
    if (!spec || typeof ifRange !== 'string') return spec;
    return ifRangeMatches(ifRange, (await this.objects.stat(key)).lastModified) ? spec : undefined;
  }

  private async head(key: string, res: ServerResponse): Promise<void> {
    const stat = await this.objects.stat(key);
    res.writeHead(200, objectHeaders(stat, stat.size));
    res.end();
  }
}

function objectHeaders(object: ObjectStat | ObjectRead, length: number): Record<string, string> {
  return {
    'Content-Type': 'application/octet-stream',
    'Content-Length': String(length),
    'Accept-Ranges': 'bytes',
    ...(object.lastModified && { 'Last-Modified': object.lastModified.toUTCString() }),
  };
}

/**
 * The request body as a stream the store may destroy on failure without destroying the socket,
 * so the error can still be answered. A client that disconnects mid-upload fails the stream.
 */
function detachedBody(req: IncomingMessage): Readable {
  const body = new PassThrough({ highWaterMark: 1024 * 1024 });
  finished(req, (err) => {
    if (err) body.destroy(err);
  });
  return req.pipe(body);
}
