import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Pool } from 'pg';
import { upgradeSchema } from '@cairn/nest-common';
import type { TestDatabase } from '@cairn/testing';
import { createTestDatabase } from '@cairn/testing';
import { trackingSchema } from '.';

// The series trigger's step probe (0007, 0008) on a table shaped as a long-lived one is. A plan,
// not a timing: the bad one read every point of the series for each probed step (8 s for this
// 1000-point batch on PostgreSQL 15). PostgreSQL 18, the embedded one, costs the skipped timestamp
// column and picks the step index anyway; `npm run test:system-pg` runs this on Debian's 15, whose
// planner reads pk_metrics index-only unless the trigger function says otherwise.
describe('metric_series trigger: the step probe (real PostgreSQL)', () => {
  let database: TestDatabase;
  let pool: Pool;
  const insertLong = (from: number, to: number, client: Pick<Pool, 'query'> = pool) =>
    client.query(
      `INSERT INTO tracking.metrics (run_id, key, timestamp, step, value)
       SELECT r.run_id, 'long', 1700000000000 + s, s, s * 0.5 FROM tracking.runs r, generate_series($1::bigint, $2::bigint) s
       WHERE r.run_uuid = $3`,
      [from, to, 'f'.repeat(32)],
    );

  before(async () => {
    database = await createTestDatabase();
    pool = new Pool({ connectionString: database.url, max: 2 });
    await upgradeSchema(pool, trackingSchema);
    // Statistics that say series are short: 20,000 runs of 5 keys, 4 points each at step 0.
    await pool.query('ALTER TABLE tracking.metrics SET (autovacuum_enabled = off)');
    await pool.query(
      `INSERT INTO tracking.runs (run_uuid, experiment_id, name, status, start_time, artifact_uri)
       SELECT md5('other-' || r), 0, 'other', 'FINISHED', 0, '' FROM generate_series(1, 20000) r`,
    );
    await pool.query(`INSERT INTO tracking.runs (run_uuid, experiment_id, name, status, start_time, artifact_uri) VALUES ($1, 0, 'long', 'RUNNING', 0, '')`, [
      'f'.repeat(32),
    ]);
    await pool.query('ANALYZE tracking.runs');
    await pool.query(
      `INSERT INTO tracking.metrics (run_id, key, timestamp, step, value)
       SELECT r.run_id, 'k' || k, 1700000000000 + s, 0, k FROM tracking.runs r, generate_series(1, 5) k, generate_series(0, 3) s
       WHERE r.name = 'other'`,
    );
    await pool.query('ANALYZE tracking.metrics');
    // One long series with a hole at steps 200,000-200,999 (a later batch committed first).
    await insertLong(0, 199_999);
    await insertLong(201_000, 201_999);
    // A visibility map that says every page is visible, as on a vacuumed table (no autovacuum
    // above: its analyze would change the statistics; on 15 one pass after a bulk insert leaves
    // the map unset, the second sets it).
    await pool.query('VACUUM tracking.metrics');
    await pool.query('VACUUM tracking.metrics');
  });
  after(async () => {
    await pool.end();
    await database.drop();
  });

  it('fills a hole in a long series through the step index, not by reading the whole series per point', async () => {
    const client = await pool.connect();
    const plans: string[] = [];
    try {
      client.on('notice', (notice) => plans.push(notice.message ?? ''));
      for (const sql of ["LOAD 'auto_explain'", 'SET auto_explain.log_min_duration = 0', 'SET auto_explain.log_nested_statements = on', 'SET auto_explain.log_level = notice']) {
        await client.query(sql);
      }
      await insertLong(200_000, 200_999, client);
    } finally {
      client.release();
    }
    const probe = plans.find((plan) => plan.includes('INSERT INTO tracking.metric_series'));
    assert.ok(probe, plans.join('\n'));
    assert.match(probe, /Index Only Scan using ix_metrics_run_key_step on metrics m/);
    // bounded by the batch's steps, not only the series (the key's cast is spelled differently by 15 and 18)
    assert.match(probe, /Index Cond: \(\(run_id = excluded\.run_id\) AND .* AND \(step >= excluded\.min_step\) AND \(step <= excluded\.max_step\)\)/);
    assert.doesNotMatch(probe, /pk_metrics on metrics m/);
    const { rows } = await pool.query(`SELECT points::int, dense FROM tracking.metric_series WHERE key = 'long'`);
    assert.deepEqual(rows, [{ points: 202_000, dense: true }]);
  });
});
