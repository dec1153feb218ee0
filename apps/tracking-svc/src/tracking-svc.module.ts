import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import type { DatabaseConfig } from '@cairn/config';
import { DatabaseModule, healthController } from '@cairn/nest-common';
import { ExperimentsModule } from './experiments/experiments.module';

import { trackingSchema } from './migrations';

/** Everything tracking-svc serves; mounted on NATS (its own process) or in-process (all-in-one). */
@Module({})
export class TrackingServiceModule {
  static register(config: DatabaseConfig): DynamicModule {
    const database = DatabaseModule.forSchema(trackingSchema, config);
    return {
      module: TrackingServiceModule,
      imports: [database, ExperimentsModule.register(database)],
      controllers: [healthController('tracking')],
    };
  }
}
