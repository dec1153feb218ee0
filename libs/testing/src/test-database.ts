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
    drop: () => withAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
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
