import type { Migration } from '@cairn/nest-common';

/**
 * Indexes that let a run filter read its candidates without touching the tables (index-only
 * scans), measured on the bench's 100k-run experiment (bench/RESULTS.md, W5):
 * - latest_metrics (key, value) INCLUDE (run_id): `metrics.x < v` becomes a range scan that
 *   yields run ids; ordering by a metric reads it too.
 * - params / tags (key, value) INCLUDE (run_id) for values up to 1000 bytes (a btree entry holds
 *   about 2700 bytes, and a key may take 1000). The former (key, left(value, 200)) indexes could
 *   not serve index-only scans: PostgreSQL needs `value` itself in the index for that, so each
 *   match cost a heap visit. Equality on a longer value is rare and reads the rows by run.
 * - runs (experiment_id, lifecycle_stage, start_time DESC, run_uuid) INCLUDE (run_id): a page in
 *   the default order, and a filtered walk in that order, read run ids from the index alone.
 * - extended statistics, so that the planner's estimates pick the right plan: on params / tags
 *   (key, value) (without them it multiplies the selectivity of `key = 'alpha'` by that of
 *   `value = '0.01'` over all keys and underestimates the matches 20×), on octet_length(value)
 *   (the restated index predicate would otherwise count as a 1-in-3 filter), and on runs
 *   (experiment_id, lifecycle_stage), which are strongly correlated.
 */
export const searchCoveringIndexesMigration: Migration = {
  version: 4,
  name: 'search-covering-indexes',
  // The locks come first, runs before its children as queries take them: a query already
  // running finishes, instead of deadlocking with a DROP INDEX half-way through the list.
  sql: `
    LOCK TABLE tracking.runs, tracking.params, tracking.tags, tracking.latest_metrics IN SHARE ROW EXCLUSIVE MODE;
    DROP INDEX tracking.ix_latest_metrics_key_value;
    CREATE INDEX ix_latest_metrics_key_value_run ON tracking.latest_metrics (key, value) INCLUDE (run_id);
    DROP INDEX tracking.ix_params_key_value;
    CREATE INDEX ix_params_key_value_run ON tracking.params (key, value) INCLUDE (run_id) WHERE octet_length(value) <= 1000;
    DROP INDEX tracking.ix_tags_key_value;
    CREATE INDEX ix_tags_key_value_run ON tracking.tags (key, value) INCLUDE (run_id) WHERE octet_length(value) <= 1000;
    DROP INDEX tracking.ix_runs_experiment_start;
    CREATE INDEX ix_runs_experiment_start_run ON tracking.runs (experiment_id, lifecycle_stage, start_time DESC, run_uuid) INCLUDE (run_id);
    CREATE STATISTICS tracking.st_params_key_value (mcv) ON key, value FROM tracking.params;
    CREATE STATISTICS tracking.st_params_value_bytes ON (octet_length(value)) FROM tracking.params;
    CREATE STATISTICS tracking.st_tags_key_value (mcv) ON key, value FROM tracking.tags;
    CREATE STATISTICS tracking.st_tags_value_bytes ON (octet_length(value)) FROM tracking.tags;
    CREATE STATISTICS tracking.st_runs_experiment_stage (mcv) ON experiment_id, lifecycle_stage FROM tracking.runs;
    ANALYZE tracking.runs, tracking.params, tracking.tags, tracking.latest_metrics;
  `,
};
