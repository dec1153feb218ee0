import type { Migration } from '@cairn/nest-common';

/**
 * No row-level foreign key on metrics. PostgreSQL checks a foreign key once per inserted row (a
 * `SELECT … FOR KEY SHARE` on the run for each point): about 4 of the 20 ms PostgreSQL spent on a
 * 1000-point log-batch (bench/RESULTS.md, W3). The writer takes that lock on the run once per
 * batch instead (runs.repository.ts, appendMetrics), and a statement trigger on runs deletes the
 * points of deleted runs, as the cascade did, whatever deletes them (`cairn gc`).
 */
export const metricsWritePathMigration: Migration = {
  version: 6,
  name: 'metrics-write-path',
  sql: `
    LOCK TABLE tracking.runs, tracking.metrics IN SHARE ROW EXCLUSIVE MODE;
    ALTER TABLE tracking.metrics DROP CONSTRAINT fk_metrics_run;

    CREATE FUNCTION tracking.runs_delete_metrics() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      DELETE FROM tracking.metrics WHERE run_id IN (SELECT run_id FROM deleted_runs);
      RETURN NULL;
    END
    $fn$;

    CREATE TRIGGER tr_runs_delete_metrics AFTER DELETE ON tracking.runs
      REFERENCING OLD TABLE AS deleted_runs FOR EACH STATEMENT EXECUTE FUNCTION tracking.runs_delete_metrics();
  `,
};
