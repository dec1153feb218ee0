import type { Migration } from '@cairn/nest-common';

// Every attempt of a webhook delivery (when, how long, the receiver's status or the error), so the
// delivery log shows a failed first try and the retry that succeeded; and the log's read path,
// a webhook's deliveries newest first.
export const webhookAttemptsMigration: Migration = {
  version: 4,
  name: 'webhook-attempts',
  sql: `
    CREATE TABLE registry.webhook_delivery_attempts (
      delivery_id     uuid NOT NULL
                      CONSTRAINT fk_webhook_delivery_attempts_delivery REFERENCES registry.webhook_deliveries (delivery_id) ON DELETE CASCADE,
      attempt         integer NOT NULL,
      attempted_at    bigint NOT NULL,
      duration_ms     integer NOT NULL,
      response_status integer,
      error           text,
      CONSTRAINT pk_webhook_delivery_attempts PRIMARY KEY (delivery_id, attempt)
    );
    CREATE INDEX ix_webhook_deliveries_webhook_created ON registry.webhook_deliveries (webhook_id, created_at DESC, delivery_id DESC);
  `,
};
