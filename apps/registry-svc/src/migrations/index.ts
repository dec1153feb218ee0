import type { SchemaDefinition } from '@cairn/nest-common';
import { registryMigration } from './0002-registry';
import { webhooksMigration } from './0003-webhooks';
import { webhookAttemptsMigration } from './0004-webhook-attempts';

/** The model registry's schema: registered models, versions, tags, aliases, audit trail, outbox. */
export const registrySchema: SchemaDefinition = {
  schema: 'registry',
  migrations: [
    { version: 1, name: 'baseline', sql: "COMMENT ON SCHEMA registry IS 'Cairn registry-svc'" },
    registryMigration,
    webhooksMigration,
    webhookAttemptsMigration,
  ],
};
