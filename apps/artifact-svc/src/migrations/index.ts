import type { SchemaDefinition } from '@cairn/nest-common';

/** The artifact service's schema (multipart uploads, garbage collection bookkeeping). Its tables arrive with its issue; version 1 creates the schema so it is versioned from day one. */
export const artifactsSchema: SchemaDefinition = {
  schema: 'artifacts',
  migrations: [{ version: 1, name: 'baseline', sql: "COMMENT ON SCHEMA artifacts IS 'Cairn artifact-svc'" }],
};
