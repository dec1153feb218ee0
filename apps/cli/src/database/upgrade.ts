import { Pool } from 'pg';
import type { DatabaseConfig } from '@cairn/config';
import type { Migration } from '@cairn/nest-common';
import { upgradeSchema } from '@cairn/nest-common';
import { allSchemas } from './schemas';

export interface UpgradeReport {
  schema: string;
  applied: Migration[];
}

/** Brings every service's schema up to date; safe to run concurrently and repeatedly. */
export async function upgradeAll(config: DatabaseConfig): Promise<UpgradeReport[]> {
  const pool = new Pool({ connectionString: config.databaseUrl, max: 1, application_name: 'cairn-db-upgrade' });
  try {
    const reports: UpgradeReport[] = [];
    for (const schema of allSchemas) reports.push({ schema: schema.schema, applied: await upgradeSchema(pool, schema) });
    return reports;
  } finally {
    await pool.end();
  }
}
