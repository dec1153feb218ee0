import type { Env } from './read-env';
import { readEnv } from './read-env';
import { natsUrl } from './fields';
import type { HttpConfig } from './http.config';
import { httpShape, toHttpConfig } from './http.config';

export interface GatewayConfig extends HttpConfig {
  readonly natsUrl: string;
}

/** The distributed gateway: public HTTP in front, services over NATS behind. */
export function readGatewayConfig(env: Env = process.env): GatewayConfig {
  const v = readEnv({ ...httpShape, CAIRN_NATS_URL: natsUrl }, env);
  return Object.freeze({ ...toHttpConfig(v), natsUrl: v.CAIRN_NATS_URL });
}
