import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Pool } from 'pg';
import { CairnError } from '@cairn/contracts';
import { upgradeSchema, withTransaction } from '@cairn/nest-common';
import type { TestDatabase } from '@cairn/testing';
import { createTestDatabase } from '@cairn/testing';
import { trackingSchema } from '../migrations';
import { LoggedModelMetrics } from './logged-model-metrics';

// What log-metric / log-batch call for points that carry a model_id, on real PostgreSQL.
describe('LoggedModelMetrics.record (real PostgreSQL)', () => {
  let database: TestDatabase;
  let pool: Pool;
  const metrics = new LoggedModelMetrics();
  const runUuid = 'a'.repeat(32);
  const points = async () =>
    (
      await pool.query(
        `SELECT model_id, key, value, timestamp::int, step::int, dataset_name, dataset_digest
         FROM tracking.logged_model_metrics ORDER BY model_id, key, timestamp`,
      )
    ).rows;

  before(async () => {
    database = await createTestDatabase();
    pool = new Pool({ connectionString: database.url, max: 2 });
    await upgradeSchema(pool, trackingSchema);
    await pool.query(
      `INSERT INTO tracking.runs (run_uuid, experiment_id, name, status, start_time, artifact_uri)
       VALUES ($1, 0, 'r', 'RUNNING', 0, 'mlflow-artifacts:/0/r/artifacts')`,
      [runUuid],
    );
    for (const id of ['m-1', 'm-2']) {
      await pool.query(
        `INSERT INTO tracking.logged_models (model_id, experiment_id, name, artifact_location, creation_timestamp_ms,
                                             last_updated_timestamp_ms, status)
         VALUES ($1, 0, $1, 'x', 0, 0, 'LOGGED_MODEL_PENDING')`,
        [id],
      );
    }
  });
  after(async () => {
    await pool.end();
    await database.drop();
  });

  it('records the points that carry a model, for several models at once, and ignores re-sent ones', async () => {
    const batch = [
      { key: 'acc', value: 0.5, timestamp: 1, step: 0, model_id: 'm-1', dataset_name: 'test', dataset_digest: 'd' },
      { key: 'acc', value: 0.5, timestamp: 1, step: 0, model_id: 'm-1', dataset_name: 'test', dataset_digest: 'd' },
      { key: 'loss', value: Number.NaN, timestamp: 2, step: 1, model_id: 'm-2' },
      { key: 'run-only', value: 1, timestamp: 3, step: 0 },
    ];
    await withTransaction(pool, (db) => metrics.record(db, runUuid, batch));
    await withTransaction(pool, (db) => metrics.record(db, runUuid, batch));
    assert.deepEqual(await points(), [
      { model_id: 'm-1', key: 'acc', value: 0.5, timestamp: 1, step: 0, dataset_name: 'test', dataset_digest: 'd' },
      { model_id: 'm-2', key: 'loss', value: Number.NaN, timestamp: 2, step: 1, dataset_name: '', dataset_digest: '' },
    ]);
  });

  it('refuses an unknown model with RESOURCE_DOES_NOT_EXIST, writing none of the points', async () => {
    const before = await points();
    await assert.rejects(
      withTransaction(pool, (db) =>
        metrics.record(db, runUuid, [
          { key: 'acc', value: 1, timestamp: 9, step: 0, model_id: 'm-1' },
          { key: 'acc', value: 1, timestamp: 9, step: 0, model_id: 'm-missing' },
        ]),
      ),
      (err: unknown) => err instanceof CairnError && err.code === 'RESOURCE_DOES_NOT_EXIST' && /m-missing/.test(err.message),
    );
    assert.deepEqual(await points(), before);
  });
});
