import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { readTestDatabaseUrl } from '@cairn/config';

export interface TestDatabase {
  /** URL of a fresh, empty database of its own. */
  url: string;
  drop(): Promise<void>;
}

/** A new database on the test PostgreSQL (real PostgreSQL, started by scripts/test.mjs). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = readTestDatabaseUrl();
  const name = `cairn_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdmin(adminUrl, (c) => dropDatabase(c, name)),
  };
}

/**
 * Lets the test's own connections finish closing before forcing the rest out: `pool.end()`
 * resolves before its sockets are closed, and a backend FORCE terminates then sends an error to
 * a client that has no listener left (an uncaught exception in whatever test file is running).
 */
async function dropDatabase(admin: Client, name: string): Promise<void> {
  for (let waited = 0; waited < 1000; waited += 20) {
    const { rows } = await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
    if (rows[0]!.n === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

async function withAdmin<T>(adminUrl: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
