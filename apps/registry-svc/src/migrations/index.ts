import type { SchemaDefinition } from '@cairn/nest-common';

/** The model registry's schema (registered models, versions, aliases, webhooks). Its tables arrive with its issue; version 1 creates the schema so it is versioned from day one. */
export const registrySchema: SchemaDefinition = {
  schema: 'registry',
  migrations: [{ version: 1, name: 'baseline', sql: "COMMENT ON SCHEMA registry IS 'Cairn registry-svc'" }],
};
