import type { Migration } from '@cairn/nest-common';

/**
 * The series trigger's step probe (0007) through ix_metrics_run_key_step. Its generic plan
 * otherwise reads pk_metrics (run_id, key, timestamp, …) index-only: every point of the series for
 * each probed step, 2.2 s for a 500-point batch filling a hole in a 100,000-point series against
 * 16 ms through the step index. A stalled writer holds its run's lock, and the writers behind it
 * fill the pool.
 */
export const seriesProbePlanMigration: Migration = {
  version: 8,
  name: 'series-probe-plan',
  sql: `ALTER FUNCTION tracking.metric_series_add() SET enable_indexonlyscan = off;`,
};
