import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Pool } from 'pg';
import type { TestDatabase } from '@cairn/testing';
import { createTestDatabase } from '@cairn/testing';
import type { SchemaDefinition } from './migrations';
import { assertSchemaCurrent, readSchemaStatus, SchemaOutdatedError, upgradeSchema } from './migrations';

const v1: SchemaDefinition = {
  schema: 'probe',
  migrations: [{ version: 1, name: 'things', sql: 'CREATE TABLE probe.things (id int CONSTRAINT pk_things PRIMARY KEY)' }],
};
const v2: SchemaDefinition = {
  schema: 'probe',
  migrations: [...v1.migrations, { version: 2, name: 'thing names', sql: 'ALTER TABLE probe.things ADD COLUMN name text' }],
};

describe('schema migrations (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  before(async () => {
    db = await createTestDatabase();
    pool = new Pool({ connectionString: db.url, max: 4 });
  });
  after(async () => {
    await pool.end();
    await db.drop();
  });

  it('refuses to run against a schema that was never upgraded, saying what to do', async () => {
    await assert.rejects(assertSchemaCurrent(pool, v1), (err: unknown) => {
      assert.ok(err instanceof SchemaOutdatedError);
      assert.match(err.message, /"probe" is at version 0, but this build needs version 1/);
      assert.match(err.message, /cairn db upgrade/);
      return true;
    });
  });

  it('applies pending migrations once, even when two upgraders race', async () => {
    const [a, b] = await Promise.all([upgradeSchema(pool, v1), upgradeSchema(pool, v1)]);
    assert.equal(a.length + b.length, 1);
    assert.deepEqual(await readSchemaStatus(pool, v1), { schema: 'probe', current: 1, latest: 1 });
    assert.deepEqual(await upgradeSchema(pool, v1), []);
  });

  it('detects a newer build and brings the schema forward', async () => {
    await assert.rejects(assertSchemaCurrent(pool, v2), SchemaOutdatedError);
    const applied = await upgradeSchema(pool, v2);
    assert.deepEqual(applied.map((m) => m.version), [2]);
    await pool.query("INSERT INTO probe.things (id, name) VALUES (1, 'x')");
    assert.equal((await assertSchemaCurrent(pool, v2)).current, 2);
  });

  it('rolls a failing migration back whole', async () => {
    const broken: SchemaDefinition = {
      schema: 'probe',
      migrations: [...v2.migrations, { version: 3, name: 'broken', sql: 'CREATE TABLE probe.half (id int); SELECT no_such_column FROM probe.things' }],
    };
    await assert.rejects(upgradeSchema(pool, broken));
    assert.equal((await readSchemaStatus(pool, broken)).current, 2);
    const { rows } = await pool.query("SELECT to_regclass('probe.half') AS t");
    assert.equal(rows[0].t, null);
  });
});
