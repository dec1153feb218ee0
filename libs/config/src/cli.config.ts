import path from 'node:path';
import { z } from 'zod';
import type { Env } from './read-env';
import { readEnv } from './read-env';
import { port, positiveInt, postgresUrl } from './fields';
import type { HttpConfig } from './http.config';
import { httpShape, toHttpConfig } from './http.config';
import type { DatabaseConfig } from './service.config';
import type { ArtifactDestination } from './artifacts.config';
import { artifactsShape, toArtifactDestination } from './artifacts.config';

export interface ServerConfig extends HttpConfig {
  /** Where all-in-one keeps its data: embedded PostgreSQL, artifacts. */
  readonly home: string;
  /** An external PostgreSQL; when absent, the embedded one under `home` is used. */
  readonly databaseUrl?: string;
  readonly poolSize: number;
  /** Port of the embedded PostgreSQL; 0 picks a free one. */
  readonly embeddedPostgresPort: number;
  /** Default: local disk under `<home>/artifacts`. */
  readonly artifacts: ArtifactDestination;
}

export interface ServerFlags {
  port?: number;
  host?: string;
  home?: string;
}

/** `cairn server` (all-in-one). Command-line flags win over the environment. */
export function readServerConfig(flags: ServerFlags = {}, env: Env = process.env): ServerConfig {
  const v = readEnv(
    {
      ...httpShape,
      CAIRN_HOME: z.string().min(1).default('.cairn'),
      CAIRN_DATABASE_URL: postgresUrl.optional(),
      CAIRN_DB_POOL_SIZE: positiveInt(10),
      CAIRN_EMBEDDED_PG_PORT: port(0),
      ...artifactsShape,
    },
    {
      ...env,
      ...(flags.port !== undefined && { CAIRN_PORT: String(flags.port) }),
      ...(flags.host !== undefined && { CAIRN_HOST: flags.host }),
      ...(flags.home !== undefined && { CAIRN_HOME: flags.home }),
    },
  );
  const home = path.resolve(v.CAIRN_HOME);
  return Object.freeze({
    ...toHttpConfig(v),
    home,
    databaseUrl: v.CAIRN_DATABASE_URL,
    poolSize: v.CAIRN_DB_POOL_SIZE,
    embeddedPostgresPort: v.CAIRN_EMBEDDED_PG_PORT,
    artifacts: toArtifactDestination(v, path.join(home, 'artifacts')),
  });
}

/** `cairn db upgrade`: needs only the database. */
export function readDatabaseConfig(env: Env = process.env): DatabaseConfig {
  const v = readEnv({ CAIRN_DATABASE_URL: postgresUrl, CAIRN_DB_POOL_SIZE: positiveInt(2) }, env);
  return Object.freeze({ databaseUrl: v.CAIRN_DATABASE_URL, poolSize: v.CAIRN_DB_POOL_SIZE });
}

/** Integration tests: the admin URL of the PostgreSQL that scripts/test.mjs started. */
export function readTestDatabaseUrl(env: Env = process.env): string {
  return readEnv({ CAIRN_TEST_DATABASE_URL: postgresUrl }, env).CAIRN_TEST_DATABASE_URL;
}
