import type { SchemaDefinition } from '@cairn/nest-common';
import { projectRunsMigration } from './0002-project-runs';

/** The project runner's schema: submissions, backend handles, attempts. */
export const runnerSchema: SchemaDefinition = {
  schema: 'runner',
  migrations: [{ version: 1, name: 'baseline', sql: "COMMENT ON SCHEMA runner IS 'Cairn project-runner'" }, projectRunsMigration],
};
