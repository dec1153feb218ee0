import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ServerConfig } from '@cairn/config';
import { JsonLogger } from '@cairn/nest-common';
import type { TestDatabase } from '@cairn/testing';
import { createTestDatabase } from '@cairn/testing';
import { AllInOneServer } from './all-in-one.server';

export interface TestServer {
  url: string;
  /** The server's own database, for tests that must look at or arrange rows directly. */
  databaseUrl: string;
  stop(): Promise<void>;
}

/** All-in-one settings for tests: a free port, quiet logs, artifacts on disk under `home`. */
export function testServerConfig(home: string, databaseUrl: string, overrides: Partial<ServerConfig> = {}): ServerConfig {
  return {
    port: 0,
    host: '127.0.0.1',
    logLevel: 'error',
    requestTimeoutMs: 10_000,
    maxRequestBytes: 1024 * 1024,
    home,
    databaseUrl,
    poolSize: 4,
    embeddedPostgresPort: 0,
    artifacts: { kind: 'file', root: path.join(home, 'artifacts') },
    ...overrides,
  };
}

/** The all-in-one server on a free port, against its own fresh database on the test PostgreSQL. */
export async function startTestServer(overrides: Partial<ServerConfig> = {}, logger = new JsonLogger('test', 'error')): Promise<TestServer> {
  const home = await mkdtemp(path.join(tmpdir(), 'cairn-home-'));
  const database: TestDatabase = await createTestDatabase();
  const config = testServerConfig(home, database.url, overrides);
  const server = new AllInOneServer(config, logger);
  const url = await server.start();
  return {
    url,
    databaseUrl: database.url,
    stop: async () => {
      await server.stop();
      await database.drop();
      await rm(home, { recursive: true, force: true });
    },
  };
}
