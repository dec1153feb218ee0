import type { IncomingMessage, ServerResponse } from 'node:http';
import { Logger } from '@nestjs/common';
import type { ErrorCode, WireError } from '@cairn/contracts';
import { CairnError } from '@cairn/contracts';
import { httpStatusOf } from '@cairn/mlflow-wire';
import { RangeNotSatisfiableError } from '../store/artifact-store';

const logger = new Logger('DataPlane');

/** An error that has its own HTTP status besides its MLflow code (405, 411). */
export class HttpError extends CairnError {
  constructor(
    readonly status: number,
    code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(code, message);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) });
  res.end(text);
}

/**
 * Answers with the WireError JSON `{code, message}` and the status of its code. Once bytes of a
 * body have gone out there is no status left to send: the connection is cut instead, so the
 * gateway sees a short body and fails the transfer.
 */
export function sendError(req: IncomingMessage, res: ServerResponse, err: unknown): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const { status, wire, headers } = describe(err);
  // A request body we did not read to the end is not worth reading: close after answering.
  if (!req.complete) {
    res.shouldKeepAlive = false;
    res.once('finish', () => setTimeout(() => req.socket.destroy(), 1000).unref());
    req.unpipe();
    req.resume();
  }
  sendJson(res, status, wire, headers);
}

function describe(err: unknown): { status: number; wire: WireError; headers: Record<string, string> } {
  if (err instanceof HttpError) return { status: err.status, wire: err.toWire(), headers: err.headers };
  if (err instanceof CairnError) return { status: httpStatusOf(err.code), wire: err.toWire(), headers: {} };
  if (err instanceof RangeNotSatisfiableError) {
    return { status: 416, wire: { code: 'INVALID_PARAMETER_VALUE', message: err.message }, headers: { 'Content-Range': `bytes */${err.size}` } };
  }
  logger.error(err instanceof Error ? err : String(err));
  return { status: 500, wire: { code: 'INTERNAL_ERROR', message: 'Internal error; see the artifact service log.' }, headers: {} };
}
