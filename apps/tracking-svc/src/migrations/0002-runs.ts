import type { Migration } from '@cairn/nest-common';

/**
 * Runs and what they log, shaped for 100k+ runs per experiment and 100M metric points:
 * - runs carry a bigint surrogate (`run_id`) that every child row uses: 8 bytes, not 32 chars.
 * - metrics are append-only; the primary key (run, key, timestamp, step, value) is MLflow's
 *   history order and makes re-sent points no-ops; (run, key, step) serves step-window charts.
 * - latest_metrics keeps one row per (run, key): the largest (step, timestamp, value), for search
 *   and ordering by metric; (key, value) indexes serve `metrics.x < v` and `ORDER BY metrics.x`.
 * - params and tags index (key, left(value, 200)): values may be longer than a btree entry allows,
 *   so equality is compiled as `left(value, 200) = left($v, 200) AND value = $v`.
 */
export const runsMigration: Migration = {
  version: 2,
  name: 'runs',
  sql: `
    CREATE TABLE tracking.runs (
      run_id           bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT pk_runs PRIMARY KEY,
      run_uuid         char(32) NOT NULL CONSTRAINT uq_runs_run_uuid UNIQUE,
      experiment_id    bigint NOT NULL CONSTRAINT fk_runs_experiment REFERENCES tracking.experiments (experiment_id),
      name             varchar(250) NOT NULL,
      user_id          varchar(256),
      status           varchar(16) NOT NULL
                       CONSTRAINT ck_runs_status CHECK (status IN ('RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED')),
      start_time       bigint NOT NULL,
      end_time         bigint,
      artifact_uri     text NOT NULL,
      lifecycle_stage  varchar(16) NOT NULL DEFAULT 'active'
                       CONSTRAINT ck_runs_lifecycle_stage CHECK (lifecycle_stage IN ('active', 'deleted')),
      deleted_time     bigint
    );
    CREATE INDEX ix_runs_experiment_start ON tracking.runs (experiment_id, lifecycle_stage, start_time DESC, run_uuid);
    CREATE INDEX ix_runs_experiment_name ON tracking.runs (experiment_id, name);
    CREATE INDEX ix_runs_deleted_time ON tracking.runs (deleted_time) WHERE lifecycle_stage = 'deleted';

    CREATE TABLE tracking.params (
      run_id bigint NOT NULL CONSTRAINT fk_params_run REFERENCES tracking.runs (run_id) ON DELETE CASCADE,
      key    varchar(250) NOT NULL,
      value  varchar(8000) NOT NULL,
      CONSTRAINT pk_params PRIMARY KEY (run_id, key)
    );
    CREATE INDEX ix_params_key_value ON tracking.params (key, left(value, 200));

    CREATE TABLE tracking.tags (
      run_id bigint NOT NULL CONSTRAINT fk_tags_run REFERENCES tracking.runs (run_id) ON DELETE CASCADE,
      key    varchar(250) NOT NULL,
      value  varchar(8000) NOT NULL,
      CONSTRAINT pk_tags PRIMARY KEY (run_id, key)
    );
    CREATE INDEX ix_tags_key_value ON tracking.tags (key, left(value, 200));

    CREATE TABLE tracking.metrics (
      run_id    bigint NOT NULL CONSTRAINT fk_metrics_run REFERENCES tracking.runs (run_id) ON DELETE CASCADE,
      key       varchar(250) NOT NULL,
      timestamp bigint NOT NULL,
      step      bigint NOT NULL,
      value     double precision NOT NULL,
      CONSTRAINT pk_metrics PRIMARY KEY (run_id, key, timestamp, step, value)
    );
    CREATE INDEX ix_metrics_run_key_step ON tracking.metrics (run_id, key, step);

    CREATE TABLE tracking.latest_metrics (
      run_id    bigint NOT NULL CONSTRAINT fk_latest_metrics_run REFERENCES tracking.runs (run_id) ON DELETE CASCADE,
      key       varchar(250) NOT NULL,
      timestamp bigint NOT NULL,
      step      bigint NOT NULL,
      value     double precision NOT NULL,
      CONSTRAINT pk_latest_metrics PRIMARY KEY (run_id, key)
    );
    CREATE INDEX ix_latest_metrics_key_value ON tracking.latest_metrics (key, value);

    CREATE TABLE tracking.datasets (
      dataset_id    bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT pk_datasets PRIMARY KEY,
      experiment_id bigint NOT NULL CONSTRAINT fk_datasets_experiment REFERENCES tracking.experiments (experiment_id) ON DELETE CASCADE,
      name          varchar(500) NOT NULL,
      digest        varchar(36) NOT NULL,
      source_type   varchar(36) NOT NULL,
      source        text NOT NULL,
      schema        text,
      profile       text,
      CONSTRAINT uq_datasets_experiment_name_digest UNIQUE (experiment_id, name, digest)
    );

    CREATE TABLE tracking.run_inputs (
      run_id     bigint NOT NULL CONSTRAINT fk_run_inputs_run REFERENCES tracking.runs (run_id) ON DELETE CASCADE,
      dataset_id bigint NOT NULL CONSTRAINT fk_run_inputs_dataset REFERENCES tracking.datasets (dataset_id) ON DELETE CASCADE,
      tags       jsonb NOT NULL DEFAULT '[]'::jsonb,
      CONSTRAINT pk_run_inputs PRIMARY KEY (run_id, dataset_id)
    );
    CREATE INDEX ix_run_inputs_dataset ON tracking.run_inputs (dataset_id);
  `,
};
