import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { LifecycleStage, Param, RunStatus, RunTag } from '@cairn/contracts';
import type { Queryable } from '@cairn/nest-common';
import { float8Array, int8Array, PG_POOL, textArray } from '@cairn/nest-common';
import type { MetricPoint } from './run.rules';

export interface NewRun {
  runUuid: string;
  experimentId: string;
  name: string;
  userId?: string;
  startTime: number;
  tags: RunTag[];
}

export interface RunHandle {
  runId: string;
  lifecycleStage: LifecycleStage;
}

export interface CreatedRun {
  experimentStage?: LifecycleStage;
  runId?: string;
  artifactUri?: string;
}

const byKey = <T extends { key: string }>(items: readonly T[]) => [...items].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

/** (key, step, timestamp, value), NaN after every number. */
function byPoint(a: MetricPoint, b: MetricPoint): number {
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  return a.step - b.step || a.timestamp - b.timestamp || (Number.isNaN(a.value) ? 1 : 0) - (Number.isNaN(b.value) ? 1 : 0) || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);
}

/**
 * The runs' SQL. Writes are set-based (unnest arrays, one statement per table) and touch rows in
 * key order, so concurrent writers to one run never deadlock.
 */
@Injectable()
export class RunsRepository {
  constructor(@Inject(PG_POOL) readonly pool: Pool) {}

  /** One statement: checks the experiment, inserts the run and its tags. */
  async insert(run: NewRun): Promise<CreatedRun> {
    const tags = byKey(run.tags);
    const { rows } = await this.pool.query<{ stage: LifecycleStage | null; run_id: string | null; artifact_uri: string | null }>(
      `WITH exp AS (SELECT experiment_id, artifact_location, lifecycle_stage FROM tracking.experiments WHERE experiment_id = $1),
       run AS (
         INSERT INTO tracking.runs (run_uuid, experiment_id, name, user_id, status, start_time, artifact_uri)
         SELECT $2::text, e.experiment_id, $3, $4, 'RUNNING', $5, rtrim(e.artifact_location, '/') || '/' || $2::text || '/artifacts'
         FROM exp e WHERE e.lifecycle_stage = 'active'
         RETURNING run_id, artifact_uri),
       tags AS (
         INSERT INTO tracking.tags (run_id, key, value)
         SELECT run.run_id, t.key, t.value FROM run, unnest($6::text[], $7::text[]) AS t(key, value))
       SELECT (SELECT lifecycle_stage FROM exp) AS stage, (SELECT run_id FROM run) AS run_id, (SELECT artifact_uri FROM run) AS artifact_uri`,
      [run.experimentId, run.runUuid, run.name, run.userId ?? null, run.startTime, tags.map((t) => t.key), tags.map((t) => t.value)],
    );
    const row = rows[0]!;
    return { experimentStage: row.stage ?? undefined, runId: row.run_id ?? undefined, artifactUri: row.artifact_uri ?? undefined };
  }

  async handle(db: Queryable, runUuid: string): Promise<RunHandle | undefined> {
    const { rows } = await db.query<{ run_id: string; lifecycle_stage: LifecycleStage }>(
      'SELECT run_id, lifecycle_stage FROM tracking.runs WHERE run_uuid = $1',
      [runUuid],
    );
    return rows[0] && { runId: rows[0].run_id, lifecycleStage: rows[0].lifecycle_stage };
  }

  async update(db: Queryable, runId: string, changes: { status?: RunStatus; endTime?: number; name?: string }): Promise<void> {
    await db.query(
      `UPDATE tracking.runs SET status = coalesce($2, status), end_time = coalesce($3, end_time), name = coalesce($4, name)
       WHERE run_id = $1`,
      [runId, changes.status ?? null, changes.endTime ?? null, changes.name ?? null],
    );
  }

  async setLifecycleStage(db: Queryable, runId: string, stage: LifecycleStage, now: number): Promise<void> {
    await db.query('UPDATE tracking.runs SET lifecycle_stage = $2, deleted_time = $3 WHERE run_id = $1', [
      runId,
      stage,
      stage === 'deleted' ? now : null,
    ]);
  }

  async upsertTags(db: Queryable, runId: string, tags: readonly RunTag[]): Promise<void> {
    if (tags.length === 0) return;
    const sorted = byKey(tags);
    await db.query(
      `INSERT INTO tracking.tags (run_id, key, value)
       SELECT $1, t.key, t.value FROM unnest($2::text[], $3::text[]) AS t(key, value)
       ON CONFLICT ON CONSTRAINT pk_tags DO UPDATE SET value = excluded.value`,
      [runId, sorted.map((t) => t.key), sorted.map((t) => t.value)],
    );
  }

  async deleteTag(db: Queryable, runId: string, key: string): Promise<boolean> {
    const { rowCount } = await db.query('DELETE FROM tracking.tags WHERE run_id = $1 AND key = $2', [runId, key]);
    return (rowCount ?? 0) > 0;
  }

  async tagValue(db: Queryable, runId: string, key: string): Promise<string | undefined> {
    const { rows } = await db.query<{ value: string }>('SELECT value FROM tracking.tags WHERE run_id = $1 AND key = $2', [runId, key]);
    return rows[0]?.value;
  }

  /**
   * Inserts params that are new; returns the ones already logged with a different value (the
   * caller refuses the whole request then). Re-logging the same value is a no-op.
   */
  async insertParams(db: Queryable, runId: string, params: readonly Param[]): Promise<{ key: string; value: string; existing: string }[]> {
    if (params.length === 0) return [];
    const sorted = byKey(params);
    const { rows } = await db.query<{ key: string; value: string; existing: string }>(
      `WITH incoming AS (SELECT * FROM unnest($2::text[], $3::text[]) AS p(key, value)),
       inserted AS (
         INSERT INTO tracking.params (run_id, key, value) SELECT $1, key, value FROM incoming
         ON CONFLICT ON CONSTRAINT pk_params DO NOTHING RETURNING key)
       SELECT i.key, i.value, p.value AS existing
       FROM incoming i JOIN tracking.params p ON p.run_id = $1 AND p.key = i.key
       WHERE p.value <> i.value`,
      [runId, sorted.map((p) => p.key), sorted.map((p) => p.value)],
    );
    return rows;
  }

  /**
   * Appends points to the run `runUuid` and moves its latest value per key forward, in one
   * statement that also locks the run against deletion (metrics has no per-row foreign key; see
   * migration 0006) and writes nothing unless the run is active. Answers the run as it found it
   * (undefined: no such run), for the caller's errors.
   *
   * A plain insert fails on a point that is already there (unique violation on pk_metrics): the
   * caller retries with `dedupe`, where re-sent identical points are no-ops. Checking every
   * point for a conflict up front (ON CONFLICT) costs about a quarter of the insert, and re-sent
   * points are rare.
   */
  async appendMetrics(db: Queryable, runUuid: string, metrics: readonly MetricPoint[], dedupe: boolean): Promise<RunHandle | undefined> {
    // Whole points in one order, not just keys: two writers re-sending the same points in
    // different orders would otherwise each wait on a conflicting row the other has inserted.
    const sorted = [...metrics].sort(byPoint);
    // In that order the last point of each key is its latest: largest (step, timestamp, value),
    // NaN above every number as in PostgreSQL. Picking them here spares the database a sort.
    const latest = sorted.flatMap((m, i) => (sorted[i + 1]?.key === m.key ? [] : [i + 1]));
    const { rows } = await db.query<{ run_id: string; lifecycle_stage: LifecycleStage }>({
      name: dedupe ? 'tracking.append-metrics.dedupe' : 'tracking.append-metrics',
      text: appendMetricsSql(dedupe),
      values: [
        runUuid,
        textArray(sorted.map((m) => m.key)),
        int8Array(sorted.map((m) => m.timestamp)),
        int8Array(sorted.map((m) => m.step)),
        float8Array(sorted.map((m) => m.value)),
        int8Array(latest),
      ],
    });
    return rows[0] && { runId: rows[0].run_id, lifecycleStage: rows[0].lifecycle_stage };
  }
}

const appendMetricsSql = (dedupe: boolean) => `
  WITH run AS (SELECT run_id, lifecycle_stage FROM tracking.runs WHERE run_uuid = $1 FOR KEY SHARE),
  incoming AS (
    SELECT r.run_id, m.key, m.ts, m.step, m.value, m.n
    FROM run r, unnest($2::text[], $3::bigint[], $4::bigint[], $5::float8[]) WITH ORDINALITY AS m(key, ts, step, value, n)
    WHERE r.lifecycle_stage = 'active'),
  points AS (
    INSERT INTO tracking.metrics (run_id, key, timestamp, step, value)
    SELECT run_id, key, ts, step, value FROM incoming
    ${dedupe ? 'ON CONFLICT ON CONSTRAINT pk_metrics DO NOTHING' : ''}),
  latest AS (
    INSERT INTO tracking.latest_metrics AS l (run_id, key, timestamp, step, value)
    SELECT run_id, key, ts, step, value FROM incoming WHERE n = ANY($6::bigint[])
    ON CONFLICT ON CONSTRAINT pk_latest_metrics DO UPDATE
      SET timestamp = excluded.timestamp, step = excluded.step, value = excluded.value
      WHERE (excluded.step, excluded.timestamp, excluded.value) > (l.step, l.timestamp, l.value))
  SELECT run_id::text AS run_id, lifecycle_stage FROM run`;
