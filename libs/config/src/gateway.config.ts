import { z } from 'zod';
import type { Env } from './read-env';
import { readEnv } from './read-env';
import { natsUrl } from './fields';
import type { HttpConfig } from './http.config';
import { httpShape, toHttpConfig } from './http.config';

export interface GatewayConfig extends HttpConfig {
  readonly natsUrl: string;
  /** artifact-svc's internal data plane, where artifact bytes are streamed. */
  readonly artifactsUrl: string;
}

/** The distributed gateway: public HTTP in front, services over NATS behind. */
export function readGatewayConfig(env: Env = process.env): GatewayConfig {
  const v = readEnv({ ...httpShape, CAIRN_NATS_URL: natsUrl, CAIRN_ARTIFACTS_URL: z.string().url().default('http://127.0.0.1:5001') }, env);
  return Object.freeze({ ...toHttpConfig(v), natsUrl: v.CAIRN_NATS_URL, artifactsUrl: v.CAIRN_ARTIFACTS_URL.replace(/\/$/, '') });
}
