import type { Migration } from '@cairn/nest-common';

/**
 * MLflow 3 logged models and how runs use them:
 * - logged_models are keyed by their public id (`m-<32 hex>`); search pages by experiment in
 *   creation order, so (experiment_id, creation_timestamp_ms DESC, model_id) is indexed.
 * - logged_model_metrics are append-only points, like a run's metrics; the dataset of a point is
 *   '' when it has none, so the primary key makes a re-sent point a no-op. The key's
 *   (model_id, key, timestamp, step) prefix serves "the latest value per key" for ordering.
 * - source_run_id is kept as the client gave it (no foreign key), as MLflow does.
 * - run_model_inputs / run_model_outputs link runs to the models they used and produced.
 */
export const loggedModelsMigration: Migration = {
  version: 3,
  name: 'logged-models',
  sql: `
    CREATE TABLE tracking.logged_models (
      model_id                  varchar(36) NOT NULL CONSTRAINT pk_logged_models PRIMARY KEY,
      experiment_id             bigint NOT NULL
                                CONSTRAINT fk_logged_models_experiment REFERENCES tracking.experiments (experiment_id) ON DELETE CASCADE,
      name                      varchar(500) NOT NULL,
      artifact_location         text NOT NULL,
      creation_timestamp_ms     bigint NOT NULL,
      last_updated_timestamp_ms bigint NOT NULL,
      status                    varchar(32) NOT NULL
                                CONSTRAINT ck_logged_models_status
                                CHECK (status IN ('LOGGED_MODEL_PENDING', 'LOGGED_MODEL_READY', 'LOGGED_MODEL_UPLOAD_FAILED')),
      lifecycle_stage           varchar(16) NOT NULL DEFAULT 'active'
                                CONSTRAINT ck_logged_models_lifecycle_stage CHECK (lifecycle_stage IN ('active', 'deleted')),
      model_type                varchar(500),
      source_run_id             varchar(256),
      status_message            varchar(1000)
    );
    CREATE INDEX ix_logged_models_experiment_creation
      ON tracking.logged_models (experiment_id, creation_timestamp_ms DESC, model_id);
    CREATE INDEX ix_logged_models_source_run ON tracking.logged_models (source_run_id);

    CREATE TABLE tracking.logged_model_tags (
      model_id varchar(36) NOT NULL
               CONSTRAINT fk_logged_model_tags_model REFERENCES tracking.logged_models (model_id) ON DELETE CASCADE,
      key      varchar(255) NOT NULL,
      value    text NOT NULL,
      CONSTRAINT pk_logged_model_tags PRIMARY KEY (model_id, key)
    );
    CREATE INDEX ix_logged_model_tags_key_value ON tracking.logged_model_tags (key, left(value, 200));

    CREATE TABLE tracking.logged_model_params (
      model_id varchar(36) NOT NULL
               CONSTRAINT fk_logged_model_params_model REFERENCES tracking.logged_models (model_id) ON DELETE CASCADE,
      key      varchar(255) NOT NULL,
      value    text NOT NULL,
      CONSTRAINT pk_logged_model_params PRIMARY KEY (model_id, key)
    );
    CREATE INDEX ix_logged_model_params_key_value ON tracking.logged_model_params (key, left(value, 200));

    CREATE TABLE tracking.logged_model_metrics (
      model_id       varchar(36) NOT NULL
                     CONSTRAINT fk_logged_model_metrics_model REFERENCES tracking.logged_models (model_id) ON DELETE CASCADE,
      key            varchar(250) NOT NULL,
      timestamp      bigint NOT NULL,
      step           bigint NOT NULL,
      value          double precision NOT NULL,
      run_id         bigint NOT NULL
                     CONSTRAINT fk_logged_model_metrics_run REFERENCES tracking.runs (run_id) ON DELETE CASCADE,
      dataset_name   varchar(500) NOT NULL DEFAULT '',
      dataset_digest varchar(36) NOT NULL DEFAULT '',
      CONSTRAINT pk_logged_model_metrics
        PRIMARY KEY (model_id, key, timestamp, step, run_id, dataset_name, dataset_digest, value)
    );
    CREATE INDEX ix_logged_model_metrics_run ON tracking.logged_model_metrics (run_id);

    CREATE TABLE tracking.run_model_inputs (
      run_id   bigint NOT NULL CONSTRAINT fk_run_model_inputs_run REFERENCES tracking.runs (run_id) ON DELETE CASCADE,
      model_id varchar(36) NOT NULL
               CONSTRAINT fk_run_model_inputs_model REFERENCES tracking.logged_models (model_id) ON DELETE CASCADE,
      CONSTRAINT pk_run_model_inputs PRIMARY KEY (run_id, model_id)
    );
    CREATE INDEX ix_run_model_inputs_model ON tracking.run_model_inputs (model_id);

    CREATE TABLE tracking.run_model_outputs (
      run_id   bigint NOT NULL CONSTRAINT fk_run_model_outputs_run REFERENCES tracking.runs (run_id) ON DELETE CASCADE,
      model_id varchar(36) NOT NULL
               CONSTRAINT fk_run_model_outputs_model REFERENCES tracking.logged_models (model_id) ON DELETE CASCADE,
      step     bigint NOT NULL,
      CONSTRAINT pk_run_model_outputs PRIMARY KEY (run_id, model_id, step)
    );
    CREATE INDEX ix_run_model_outputs_model ON tracking.run_model_outputs (model_id);
  `,
};
