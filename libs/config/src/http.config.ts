import type { LogLevel } from './fields';
import { host, logLevel, port, positiveInt } from './fields';

/** Settings of the public HTTP surface, shared by the gateway and the all-in-one server. */
export interface HttpConfig {
  readonly port: number;
  readonly host: string;
  readonly logLevel: LogLevel;
  /** How long the gateway waits for a service's answer. */
  readonly requestTimeoutMs: number;
  /** Largest JSON request body accepted (artifact uploads stream and are not bound by it). */
  readonly maxRequestBytes: number;
}

export const httpShape = {
  CAIRN_PORT: port(5000),
  CAIRN_HOST: host,
  CAIRN_LOG_LEVEL: logLevel,
  CAIRN_REQUEST_TIMEOUT_MS: positiveInt(30_000),
  CAIRN_MAX_REQUEST_BYTES: positiveInt(16 * 1024 * 1024),
};

export function toHttpConfig(v: {
  CAIRN_PORT: number;
  CAIRN_HOST: string;
  CAIRN_LOG_LEVEL: LogLevel;
  CAIRN_REQUEST_TIMEOUT_MS: number;
  CAIRN_MAX_REQUEST_BYTES: number;
}): HttpConfig {
  return {
    port: v.CAIRN_PORT,
    host: v.CAIRN_HOST,
    logLevel: v.CAIRN_LOG_LEVEL,
    requestTimeoutMs: v.CAIRN_REQUEST_TIMEOUT_MS,
    maxRequestBytes: v.CAIRN_MAX_REQUEST_BYTES,
  };
}
