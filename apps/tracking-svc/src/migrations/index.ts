import type { SchemaDefinition } from '@cairn/nest-common';
import { experimentsMigration } from './0001-experiments';

export const trackingSchema: SchemaDefinition = {
  schema: 'tracking',
  migrations: [experimentsMigration],
};
