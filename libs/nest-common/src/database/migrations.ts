import type { Pool, PoolClient } from 'pg';

/** One forward-only step of a service's schema. Constraints are named (`fk_run_experiment`). */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** A service's own PostgreSQL schema and its linear list of migrations. */
export interface SchemaDefinition {
  readonly schema: string;
  readonly migrations: readonly Migration[];
}

export interface SchemaStatus {
  schema: string;
  current: number;
  latest: number;
}

export class SchemaOutdatedError extends Error {
  constructor(readonly status: SchemaStatus) {
    super(
      `Database schema "${status.schema}" is at version ${status.current}, but this build needs version ${status.latest}. ` +
        'Run `cairn db upgrade` (or the Helm migration job) against this database, then start the service again.',
    );
    this.name = 'SchemaOutdatedError';
  }
}

const latestVersion = (def: SchemaDefinition) => def.migrations.reduce((max, m) => Math.max(max, m.version), 0);

export async function readSchemaStatus(pool: Pool, def: SchemaDefinition): Promise<SchemaStatus> {
  const exists = await pool.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [
    `${def.schema}.schema_migrations`,
  ]);
  let current = 0;
  if (exists.rows[0]?.present) {
    const { rows } = await pool.query<{ version: number | null }>(
      `SELECT max(version) AS version FROM ${def.schema}.schema_migrations`,
    );
    current = rows[0]?.version ?? 0;
  }
  return { schema: def.schema, current, latest: latestVersion(def) };
}

/** Stops a service from running against a schema older than its code expects. */
export async function assertSchemaCurrent(pool: Pool, def: SchemaDefinition): Promise<SchemaStatus> {
  const status = await readSchemaStatus(pool, def);
  if (status.current < status.latest) throw new SchemaOutdatedError(status);
  return status;
}

/**
 * Applies the pending migrations of one schema in a single transaction, under an advisory lock
 * so that concurrent upgraders (a Helm hook and an all-in-one start) cannot interleave.
 */
export async function upgradeSchema(pool: Pool, def: SchemaDefinition): Promise<Migration[]> {
  assertLinear(def);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`cairn-migrate:${def.schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${def.schema}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${def.schema}.schema_migrations (
         version integer CONSTRAINT pk_schema_migrations PRIMARY KEY,
         name text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const pending = await pendingMigrations(client, def);
    for (const migration of pending) {
      await client.query(migration.sql);
      await client.query(`INSERT INTO ${def.schema}.schema_migrations (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
    }
    await client.query('COMMIT');
    return pending;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

async function pendingMigrations(client: PoolClient, def: SchemaDefinition): Promise<Migration[]> {
  const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${def.schema}.schema_migrations`);
  const applied = new Set(rows.map((r) => r.version));
  return [...def.migrations].sort((a, b) => a.version - b.version).filter((m) => !applied.has(m.version));
}

function assertLinear(def: SchemaDefinition) {
  if (!/^[a-z_][a-z0-9_]*$/.test(def.schema)) throw new Error(`Invalid schema name ${def.schema}`);
  def.migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migrations of ${def.schema} must be numbered 1..n in order; found ${m.version} at ${i + 1}`);
  });
}
