import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import type { DatabaseConfig } from '@cairn/config';
import { DatabaseModule, healthController } from '@cairn/nest-common';
import { DatasetsModule } from './datasets/datasets.module';
import { ExperimentsModule } from './experiments/experiments.module';
import { LoggedModelsModule } from './logged-models/logged-models.module';
import { MetricsModule } from './metrics/metrics.module';
import { RunSearchModule } from './run-search/run-search.module';
import { RunsModule } from './runs/runs.module';

import { trackingSchema } from './migrations';

/** Everything tracking-svc serves; mounted on NATS (its own process) or in-process (all-in-one). */
@Module({})
export class TrackingServiceModule {
  static register(config: DatabaseConfig): DynamicModule {
    const database = DatabaseModule.forSchema(trackingSchema, config);
    const runs = RunsModule.register(database);
    return {
      module: TrackingServiceModule,
      imports: [
        database,
        ExperimentsModule.register(database),
        runs,
        MetricsModule.register(database, runs),
        RunSearchModule.register(database, runs),
        DatasetsModule.register(database, runs),
        LoggedModelsModule.register(database, runs),
      ],
      controllers: [healthController('tracking')],
    };
  }
}
