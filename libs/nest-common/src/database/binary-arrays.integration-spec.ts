import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Pool } from 'pg';
import type { TestDatabase } from '@cairn/testing';
import { createTestDatabase } from '@cairn/testing';
import { float8Array, int8Array, textArray } from './binary-arrays';

// What PostgreSQL reads back is the test: bytes it reads differently would lose data.
describe('binary arrays (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  before(async () => {
    db = await createTestDatabase();
    pool = new Pool({ connectionString: db.url, max: 1 });
  });
  after(async () => {
    await pool.end();
    await db.drop();
  });

  it('carries any text element unchanged: quotes, backslashes, separators, braces, NULL, empty, unicode', async () => {
    const texts = ['plain', 'with space', 'a,b', '{braces}', 'say "hi"', 'back\\slash', '\\"', 'NULL', 'null', '', ' ', 'métrique/ü:1', '日本', 'tab\there', 'new\nline'];
    const { rows } = await pool.query<{ v: string[] }>('SELECT $1::text[] AS v', [textArray(texts)]);
    assert.deepEqual(rows[0]!.v, texts);
  });

  it('carries every double exactly, NaN and the infinities included', async () => {
    const values = [0, -0, -1.5, 0.1, 1 / 3, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, -1e21, 1e21, 123456789.12345679, NaN, Infinity, -Infinity];
    const { rows } = await pool.query<{ v: string }>(
      "SELECT array_to_json(array(SELECT CASE WHEN x = 'NaN' OR x IN ('Infinity', '-Infinity') THEN to_json(x::text) ELSE to_json(x) END FROM unnest($1::float8[]) x))::text AS v",
      [float8Array(values)],
    );
    const back = (JSON.parse(rows[0]!.v) as (number | string)[]).map(Number);
    assert.deepEqual(back, values);
  });

  it('carries bigints up to the 64-bit range', async () => {
    const values = [0, -1, 1, 2 ** 32 - 1, 2 ** 32, -(2 ** 32), -(2 ** 32) - 1, 1700000000000, -1700000000001, 2 ** 53 - 1, 2 ** 62, 2 ** 63 - 1024, -(2 ** 63 - 1024)];
    const { rows } = await pool.query<{ v: string[] }>('SELECT $1::bigint[]::text[] AS v', [int8Array(values)]);
    assert.deepEqual(rows[0]!.v, values.map((v) => BigInt(v).toString()));
    assert.throws(() => int8Array([2 ** 63]), RangeError);
    assert.throws(() => int8Array([0.5]), RangeError);
  });

  it('makes empty arrays', async () => {
    const { rows } = await pool.query<{ t: string[]; n: number[] }>('SELECT $1::text[] AS t, $2::float8[] AS n, $3::bigint[] AS b', [textArray([]), float8Array([]), int8Array([])]);
    assert.deepEqual(rows[0], { t: [], n: [], b: [] });
  });
});
