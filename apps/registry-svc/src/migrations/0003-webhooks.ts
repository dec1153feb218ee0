import type { Migration } from '@cairn/nest-common';

// MLflow 3.3 webhooks. Secrets are stored AES-256-GCM encrypted and never returned. Each
// (webhook, outbox event) pair gets one delivery row: the delivery log, and the retry queue
// (next_attempt_at, exponential backoff) the delivery worker drains.
export const webhooksMigration: Migration = {
  version: 3,
  name: 'webhooks',
  sql: `
    CREATE TABLE registry.webhooks (
      webhook_id             varchar(32) CONSTRAINT pk_webhooks PRIMARY KEY,
      name                   varchar(63) NOT NULL,
      description            varchar(1000),
      url                    varchar(2048) NOT NULL,
      events                 jsonb NOT NULL,
      secret_enc             text,
      status                 varchar(16) NOT NULL CONSTRAINT ck_webhooks_status CHECK (status IN ('ACTIVE', 'DISABLED')),
      creation_timestamp     bigint NOT NULL,
      last_updated_timestamp bigint NOT NULL
    );
    CREATE INDEX ix_webhooks_created ON registry.webhooks (creation_timestamp, webhook_id);

    CREATE TABLE registry.webhook_deliveries (
      delivery_id     uuid CONSTRAINT pk_webhook_deliveries PRIMARY KEY,
      webhook_id      varchar(32) NOT NULL
                      CONSTRAINT fk_webhook_deliveries_webhook REFERENCES registry.webhooks (webhook_id) ON DELETE CASCADE,
      event_id        bigint NOT NULL,
      entity          varchar(32) NOT NULL,
      action          varchar(16) NOT NULL,
      payload         text NOT NULL,
      status          varchar(16) NOT NULL CONSTRAINT ck_webhook_deliveries_status CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED')),
      attempts        integer NOT NULL DEFAULT 0,
      next_attempt_at bigint NOT NULL,
      response_status integer,
      last_error      text,
      created_at      bigint NOT NULL,
      updated_at      bigint NOT NULL,
      CONSTRAINT uq_webhook_deliveries_event UNIQUE (webhook_id, event_id)
    );
    CREATE INDEX ix_webhook_deliveries_due ON registry.webhook_deliveries (next_attempt_at) WHERE status = 'PENDING';
  `,
};
