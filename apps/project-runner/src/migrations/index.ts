import type { SchemaDefinition } from '@cairn/nest-common';

/** The project runner's schema (submissions, backend handles, attempts). Its tables arrive with its issue; version 1 creates the schema so it is versioned from day one. */
export const runnerSchema: SchemaDefinition = {
  schema: 'runner',
  migrations: [{ version: 1, name: 'baseline', sql: "COMMENT ON SCHEMA runner IS 'Cairn project-runner'" }],
};
