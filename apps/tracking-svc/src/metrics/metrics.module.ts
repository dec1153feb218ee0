import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { IntervalSampler } from './interval-sampler';
import { MetricsController } from './metrics.controller';
import { MetricsRepository } from './metrics.repository';
import { MetricsService } from './metrics.service';

/** Metric history: get-history (paged), get-history-bulk and get-history-bulk-interval (downsampled in SQL). */
@Module({})
export class MetricsModule {
  static register(database: DynamicModule, runs: DynamicModule): DynamicModule {
    // `runs` exports RunReader (full runs) and the runs rules; import it rather than re-registering.
    return {
      module: MetricsModule,
      imports: [database, runs],
      controllers: [MetricsController],
      providers: [MetricsService, MetricsRepository, IntervalSampler],
    };
  }
}
