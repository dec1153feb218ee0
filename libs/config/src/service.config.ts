import type { Env } from './read-env';
import { readEnv } from './read-env';
import type { LogLevel } from './fields';
import { logLevel, natsUrl, positiveInt, postgresUrl } from './fields';

export interface DatabaseConfig {
  /** Secret: contains the password. Log it only through maskUrl(). */
  readonly databaseUrl: string;
  readonly poolSize: number;
}

export interface ServiceConfig extends DatabaseConfig {
  readonly natsUrl: string;
  readonly logLevel: LogLevel;
}

/** A domain service run as its own process (tracking-svc, registry-svc, …). */
export function readServiceConfig(env: Env = process.env): ServiceConfig {
  const v = readEnv(
    {
      CAIRN_DATABASE_URL: postgresUrl,
      CAIRN_NATS_URL: natsUrl,
      CAIRN_LOG_LEVEL: logLevel,
      CAIRN_DB_POOL_SIZE: positiveInt(10),
    },
    env,
  );
  return Object.freeze({
    databaseUrl: v.CAIRN_DATABASE_URL,
    natsUrl: v.CAIRN_NATS_URL,
    logLevel: v.CAIRN_LOG_LEVEL,
    poolSize: v.CAIRN_DB_POOL_SIZE,
  });
}
