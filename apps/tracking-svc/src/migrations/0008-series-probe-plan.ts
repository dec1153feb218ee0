import type { Migration } from '@cairn/nest-common';

/**
 * The series trigger's probe (0007) as one range read of the (run_id, key, step) index. 0007 joined
 * the batch to metrics on (run_id, key, step) and left the planner to choose, which on
 * PostgreSQL 15 read pk_metrics (run_id, key, timestamp, …) index-only, every point of the series
 * for each point of the batch, whenever the table's statistics said series are short: 8-16 s
 * for a 1000-point batch filling a hole in a 200,000-point series, holding the run's lock while
 * the writers behind it filled the pool. Turning index-only scans off was not enough: with few
 * distinct steps in the table (points logged without a step are all at 0) the planner then read
 * the whole series through the step index, joining on step afterwards.
 *
 * The steps stay distinct when the series' points in the batch's step range, its own included
 * (the trigger runs after the insert), are on distinct steps: counted from the step index alone,
 * bounded on all three of its columns, which no other index can be (a batch spanning the whole
 * series reads it once, not once per point).
 */
export const seriesProbePlanMigration: Migration = {
  version: 8,
  name: 'series-probe-plan',
  sql: `
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
          OR (SELECT count(*) = count(DISTINCT m.step) FROM tracking.metrics m
              WHERE m.run_id = excluded.run_id AND m.key = excluded.key
                AND m.step BETWEEN excluded.min_step AND excluded.max_step));
      RETURN NULL;
    END
    $fn$;
  `,
};
