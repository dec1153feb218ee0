import type { Migration } from '@cairn/nest-common';

/**
 * One row per (run, metric key) describing its history, so that charts can sample it without
 * reading every point (get-history-bulk-interval):
 * - points: how many points were logged; min_step / max_step: the step range;
 * - dense: every step from min_step to max_step holds exactly one point (the usual training loop
 *   logging steps 0, 1, 2, ...). Then the k-th point in step order is at step min_step + k, and
 *   MLflow's row-based sample is read by step from the (run_id, key, step) index.
 * A statement trigger keeps it: every insert into metrics, whatever the path, adds the points it
 * really inserted (a re-sent point that conflicts is not in the transition table). Summaries are
 * upserted in (run_id, key) order, as latest_metrics is, so concurrent writers to one run queue
 * on the same rows in the same order instead of deadlocking. A series stays dense while each
 * batch is dense and extends it at either end; anything else (a gap, a step logged twice, an
 * out-of-order batch) clears the flag for good, and the reader then ranks the points exactly.
 */
export const metricSeriesMigration: Migration = {
  version: 5,
  name: 'metric-series',
  sql: `
    CREATE TABLE tracking.metric_series (
      run_id   bigint NOT NULL CONSTRAINT fk_metric_series_run REFERENCES tracking.runs (run_id) ON DELETE CASCADE,
      key      varchar(250) NOT NULL,
      points   bigint NOT NULL,
      min_step bigint NOT NULL,
      max_step bigint NOT NULL,
      dense    boolean NOT NULL,
      CONSTRAINT pk_metric_series PRIMARY KEY (run_id, key)
    );

    CREATE FUNCTION tracking.metric_series_add() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      INSERT INTO tracking.metric_series AS s (run_id, key, points, min_step, max_step, dense)
      SELECT run_id, key, count(*), min(step), max(step),
             count(DISTINCT step) = count(*) AND max(step) - min(step) + 1 = count(*)
      FROM added GROUP BY run_id, key ORDER BY run_id, key
      ON CONFLICT ON CONSTRAINT pk_metric_series DO UPDATE SET
        points = s.points + excluded.points,
        min_step = least(s.min_step, excluded.min_step),
        max_step = greatest(s.max_step, excluded.max_step),
        dense = s.dense AND excluded.dense
                AND (excluded.min_step = s.max_step + 1 OR excluded.max_step = s.min_step - 1);
      RETURN NULL;
    END
    $fn$;

    CREATE TRIGGER tr_metrics_series AFTER INSERT ON tracking.metrics
      REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION tracking.metric_series_add();

    -- CREATE TRIGGER holds a lock that keeps writers out until this transaction commits.
    INSERT INTO tracking.metric_series (run_id, key, points, min_step, max_step, dense)
    SELECT run_id, key, count(*), min(step), max(step),
           count(DISTINCT step) = count(*) AND max(step) - min(step) + 1 = count(*)
    FROM tracking.metrics GROUP BY run_id, key;
  `,
};
