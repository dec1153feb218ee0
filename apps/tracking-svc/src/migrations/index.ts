import type { SchemaDefinition } from '@cairn/nest-common';
import { experimentsMigration } from './0001-experiments';
import { runsMigration } from './0002-runs';
import { loggedModelsMigration } from './0003-logged-models';
import { searchCoveringIndexesMigration } from './0004-search-covering-indexes';
import { metricSeriesMigration } from './0005-metric-series';
import { metricsWritePathMigration } from './0006-metrics-write-path';
import { seriesDistinctStepsMigration } from './0007-series-distinct-steps';
import { seriesProbePlanMigration } from './0008-series-probe-plan';

export const trackingSchema: SchemaDefinition = {
  schema: 'tracking',
  migrations: [experimentsMigration, runsMigration, loggedModelsMigration, searchCoveringIndexesMigration, metricSeriesMigration, metricsWritePathMigration, seriesDistinctStepsMigration, seriesProbePlanMigration],
};
