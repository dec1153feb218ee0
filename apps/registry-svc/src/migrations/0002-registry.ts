import type { Migration } from '@cairn/nest-common';

// Registered models are keyed by a surrogate id, so a rename is one row (MLflow cascades the
// name through every version, tag and alias). Names use the "C" collation: byte order as in
// MLflow's SQLite store, and the unique index also serves `name LIKE 'prefix%'`.
export const registryMigration: Migration = {
  version: 2,
  name: 'registry',
  sql: `
    CREATE TABLE registry.registered_models (
      model_id          bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT pk_registered_models PRIMARY KEY,
      name              varchar(256) COLLATE "C" NOT NULL CONSTRAINT uq_registered_models_name UNIQUE,
      creation_time     bigint NOT NULL,
      last_updated_time bigint NOT NULL,
      description       varchar(5000),
      last_version      integer NOT NULL DEFAULT 0 CONSTRAINT ck_registered_models_last_version CHECK (last_version >= 0)
    );
    CREATE INDEX ix_registered_models_last_updated ON registry.registered_models (last_updated_time, name);

    CREATE TABLE registry.registered_model_tags (
      model_id bigint NOT NULL
               CONSTRAINT fk_registered_model_tags_model REFERENCES registry.registered_models (model_id) ON DELETE CASCADE,
      key      varchar(250) NOT NULL,
      value    text NOT NULL,
      CONSTRAINT pk_registered_model_tags PRIMARY KEY (model_id, key)
    );
    CREATE INDEX ix_registered_model_tags_prompt ON registry.registered_model_tags (model_id)
      WHERE key = 'mlflow.prompt.is_prompt' AND value = 'true';

    CREATE TABLE registry.model_versions (
      model_id          bigint NOT NULL
                        CONSTRAINT fk_model_versions_model REFERENCES registry.registered_models (model_id) ON DELETE CASCADE,
      version           integer NOT NULL CONSTRAINT ck_model_versions_version CHECK (version > 0),
      creation_time     bigint NOT NULL,
      last_updated_time bigint NOT NULL,
      description       varchar(5000),
      user_id           varchar(256),
      current_stage     varchar(20) NOT NULL DEFAULT 'None'
                        CONSTRAINT ck_model_versions_stage
                        CHECK (current_stage IN ('None', 'Staging', 'Production', 'Archived', 'Deleted_Internal')),
      source            text NOT NULL,
      storage_location  text,
      run_id            varchar(256),
      run_link          text,
      logged_model_id   varchar(256),
      status            varchar(20) NOT NULL DEFAULT 'READY'
                        CONSTRAINT ck_model_versions_status
                        CHECK (status IN ('PENDING_REGISTRATION', 'FAILED_REGISTRATION', 'READY')),
      status_message    varchar(500),
      CONSTRAINT pk_model_versions PRIMARY KEY (model_id, version)
    );
    CREATE INDEX ix_model_versions_stage ON registry.model_versions (model_id, current_stage, version DESC);
    CREATE INDEX ix_model_versions_run_id ON registry.model_versions (run_id);
    CREATE INDEX ix_model_versions_last_updated ON registry.model_versions (last_updated_time DESC, model_id, version DESC);

    CREATE TABLE registry.model_version_tags (
      model_id bigint NOT NULL,
      version  integer NOT NULL,
      key      varchar(250) NOT NULL,
      value    text NOT NULL,
      CONSTRAINT pk_model_version_tags PRIMARY KEY (model_id, version, key),
      CONSTRAINT fk_model_version_tags_version FOREIGN KEY (model_id, version)
        REFERENCES registry.model_versions (model_id, version) ON DELETE CASCADE
    );
    CREATE INDEX ix_model_version_tags_prompt ON registry.model_version_tags (model_id)
      WHERE key = 'mlflow.prompt.is_prompt' AND value = 'true';

    CREATE TABLE registry.registered_model_aliases (
      model_id bigint NOT NULL,
      alias    varchar(255) NOT NULL,
      version  integer NOT NULL,
      CONSTRAINT pk_registered_model_aliases PRIMARY KEY (model_id, alias),
      CONSTRAINT fk_registered_model_aliases_version FOREIGN KEY (model_id, version)
        REFERENCES registry.model_versions (model_id, version) ON DELETE CASCADE
    );
    CREATE INDEX ix_registered_model_aliases_version ON registry.registered_model_aliases (model_id, version);

    -- Who changed what, kept after the model is gone: no foreign key, and no UPDATE or DELETE.
    CREATE TABLE registry.audit_events (
      event_id   bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT pk_audit_events PRIMARY KEY,
      model_id   bigint NOT NULL,
      model_name varchar(256) COLLATE "C" NOT NULL,
      version    integer,
      action     varchar(32) NOT NULL
                 CONSTRAINT ck_audit_events_action CHECK (action IN ('model_created', 'renamed', 'description_changed',
                   'model_deleted', 'version_created', 'stage_transition', 'alias_set', 'alias_deleted', 'version_deleted')),
      alias      varchar(255),
      from_value text,
      to_value   text,
      actor      varchar(256) NOT NULL,
      request_id varchar(128),
      at         bigint NOT NULL
    );
    CREATE INDEX ix_audit_events_model ON registry.audit_events (model_id, event_id DESC);
    CREATE INDEX ix_audit_events_model_name ON registry.audit_events (model_name, event_id DESC);
    CREATE FUNCTION registry.refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'registry.audit_events is append-only'; END $$;
    CREATE TRIGGER tr_audit_events_append_only BEFORE UPDATE OR DELETE ON registry.audit_events
      FOR EACH ROW EXECUTE FUNCTION registry.refuse_audit_change();
    CREATE TRIGGER tr_audit_events_no_truncate BEFORE TRUNCATE ON registry.audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION registry.refuse_audit_change();

    -- Transactional outbox: every change's events, written in the change's transaction; a
    -- publisher sends the unpublished rows to JetStream in id order and stamps published_at.
    CREATE TABLE registry.outbox (
      event_id     bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT pk_outbox PRIMARY KEY,
      event_type   varchar(64) NOT NULL,
      model_id     bigint NOT NULL,
      is_prompt    boolean NOT NULL,
      payload      jsonb NOT NULL,
      actor        varchar(256) NOT NULL,
      request_id   varchar(128),
      created_at   bigint NOT NULL,
      published_at bigint
    );
    CREATE INDEX ix_outbox_unpublished ON registry.outbox (event_id) WHERE published_at IS NULL;
  `,
};
