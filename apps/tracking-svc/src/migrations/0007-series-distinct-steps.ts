import type { Migration } from '@cairn/nest-common';

/**
 * A series' density no longer lost for good to batches that arrive out of order. MLflow's async
 * logging flushes a run's batches from a pool of threads, and a client with several requests in
 * flight commits them in any order; the bench's own seeding left 2 of its 11 history series
 * marked sparse, and a chart over one of them was ranked in PostgreSQL (W8: 30 → 180 ms).
 *
 * metric_series now records `distinct_steps` (no step holds two points) and derives `dense` from
 * it: distinct steps, as many points as steps from min_step to max_step. A batch keeps the steps
 * distinct when its own are, and either lies beyond the series' range (the usual append) or none
 * of its steps is already taken by another point: a probe per point of the (run_id, key, step)
 * index, paid only by a batch that lands inside the range, such as one filling a hole left by a
 * later batch that committed first.
 *
 * The probe sees every point logged before it: appendMetrics upserts latest_metrics for the
 * batch's keys in the same statement, so writers of the same keys are already serialized on those
 * rows when this statement-level trigger runs, and its statements take fresh snapshots.
 */
export const seriesDistinctStepsMigration: Migration = {
  version: 7,
  name: 'series-distinct-steps',
  sql: `
    LOCK TABLE tracking.metrics, tracking.metric_series IN SHARE ROW EXCLUSIVE MODE;
    ALTER TABLE tracking.metric_series ADD COLUMN distinct_steps boolean;
    UPDATE tracking.metric_series SET distinct_steps = true WHERE dense;
    UPDATE tracking.metric_series s SET distinct_steps = (
      SELECT count(DISTINCT step) = count(*) FROM tracking.metrics m WHERE m.run_id = s.run_id AND m.key = s.key)
    WHERE NOT dense;
    ALTER TABLE tracking.metric_series ALTER COLUMN distinct_steps SET NOT NULL;
    ALTER TABLE tracking.metric_series DROP COLUMN dense;
    -- numeric: the step range of a series may exceed bigint (steps are any 64-bit integers)
    ALTER TABLE tracking.metric_series ADD COLUMN dense boolean
      GENERATED ALWAYS AS (distinct_steps AND points = max_step::numeric - min_step + 1) STORED;

    CREATE OR REPLACE FUNCTION tracking.metric_series_add() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      INSERT INTO tracking.metric_series AS s (run_id, key, points, min_step, max_step, distinct_steps)
      SELECT run_id, key, count(*), min(step), max(step), count(DISTINCT step) = count(*)
      FROM added GROUP BY run_id, key ORDER BY run_id, key
      ON CONFLICT ON CONSTRAINT pk_metric_series DO UPDATE SET
        points = s.points + excluded.points,
        min_step = least(s.min_step, excluded.min_step),
        max_step = greatest(s.max_step, excluded.max_step),
        distinct_steps = s.distinct_steps AND excluded.distinct_steps AND (
          excluded.min_step > s.max_step OR excluded.max_step < s.min_step
          OR NOT EXISTS (
            SELECT 1 FROM added a
            JOIN tracking.metrics m ON m.run_id = a.run_id AND m.key = a.key AND m.step = a.step
            WHERE a.run_id = excluded.run_id AND a.key = excluded.key
              AND (m.timestamp <> a.timestamp OR m.value IS DISTINCT FROM a.value)));
      RETURN NULL;
    END
    $fn$;
  `,
};
