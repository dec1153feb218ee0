import type { FastifyReply, FastifyRequest } from 'fastify';
import { Injectable } from '@nestjs/common';
import type { FileInfo, ListArtifactsResponse } from '@cairn/contracts';
import { ArtifactPatterns, invalidParameter } from '@cairn/contracts';
import { joinArtifactPath } from '@cairn/artifact-path';
import { toWireJson } from '@cairn/mlflow-wire';
import { ServiceClient } from '@cairn/nest-common';
import { ArtifactDataPlane } from './artifact-data-plane';
import { artifactContentType, contentDisposition } from './artifact-headers';
import { basenameOf, relativeChild } from './artifact-key';
import { boundedBody, noData, tooLarge } from './bounded-body';
import type { ArtifactRoot } from './artifact-roots';

const PASSED_THROUGH = ['content-length', 'content-range', 'accept-ranges', 'etag', 'last-modified'] as const;

/**
 * Moves artifact bytes between an HTTP exchange and artifact-svc, and lists directories. Keys
 * given here are already canonical (artifact-key.ts); this class adds no path logic.
 */
@Injectable()
export class ArtifactTransfer {
  constructor(
    private readonly dataPlane: ArtifactDataPlane,
    private readonly services: ServiceClient,
  ) {}

  async list(key: string): Promise<FileInfo[]> {
    const { files } = await this.services.call<ListArtifactsResponse>(ArtifactPatterns.list, { path: key });
    return files ?? [];
  }

  /** MLflow's ListArtifacts answer for a run or a logged model: `{root_uri, files}`, paths relative to the root. */
  async listUnder(root: ArtifactRoot, directory: string) {
    const files = await this.list(joinArtifactPath(root.key, directory));
    return toWireJson({ root_uri: root.uri, files: files.map((file) => ({ ...file, path: relativeChild(directory, file.path) })) });
  }

  /** Streams the request body into `key`. A request without any body is refused; Content-Length: 0 is an empty file. */
  upload(key: string, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    return this.dataPlane.upload(key, request.raw, declaredLength(request), abortOnClose(reply));
  }

  /**
   * Streams a small request body (the UI's upload-artifact) into `key`: refused, with MLflow's
   * messages, when it is empty or larger than `maxBytes`, whether announced or only seen.
   */
  uploadBounded(key: string, maxBytes: number, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const length = header(request, 'content-length');
    if (length !== undefined && /^\d+$/.test(length.trim())) {
      const declared = Number(length);
      if (declared > maxBytes) throw tooLarge();
      if (declared === 0) throw noData();
      return this.dataPlane.upload(key, request.raw, declared, abortOnClose(reply));
    }
    if (request.headers['transfer-encoding'] === undefined) throw noData();
    const body = boundedBody(request.raw, maxBytes);
    let refused: unknown;
    body.once('error', (err) => (refused = err));
    return this.dataPlane.upload(key, body, undefined, abortOnClose(reply)).catch((err: unknown) => {
      if (refused !== undefined) closeAfterReply(request, reply);
      throw refused ?? err;
    });
  }

  /** Streams `key` to the client as an attachment, honouring Range; never rendered as a page. */
  async send(key: string, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const range = { range: header(request, 'range'), ifRange: header(request, 'if-range') };
    const download = await this.dataPlane.download(key, range, abortOnClose(reply), request.method === 'HEAD' ? 'HEAD' : 'GET');
    const name = basenameOf(key);
    void reply
      .status(download.status)
      .header('content-type', artifactContentType(name))
      .header('content-disposition', contentDisposition(name))
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-cache');
    for (const name of PASSED_THROUGH) {
      const value = download.headers[name];
      if (value !== undefined) void reply.header(name, value);
    }
    if (download.status === 416) {
      download.body.resume();
      return reply.send();
    }
    return reply.send(download.body);
  }
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function declaredLength(request: FastifyRequest): number | undefined {
  const length = header(request, 'content-length');
  if (length !== undefined && /^\d+$/.test(length.trim())) return Number(length);
  if (request.headers['transfer-encoding'] !== undefined) return undefined;
  throw invalidParameter('An artifact upload needs the file as its request body (Content-Length: 0 for an empty file).');
}

/**
 * Answers a body refused half-read, then closes the connection: the rest is read and dropped
 * meanwhile, so a client still sending sees the answer instead of a stalled write.
 */
function closeAfterReply(request: FastifyRequest, reply: FastifyReply): void {
  void reply.header('connection', 'close');
  request.raw.resume();
  reply.raw.once('finish', () => setTimeout(() => request.raw.socket.destroy(), 1000).unref());
}

/** Aborted when the client goes away before the response is complete. */
function abortOnClose(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return controller.signal;
}
