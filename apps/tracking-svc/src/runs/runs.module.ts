import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { LoggedModelMetrics } from '../logged-models/logged-model-metrics';
import { ActiveRun } from './active-run';
import { RunLoggingService } from './run-logging.service';
import { RunReader } from './run-reader';
import { RunsController } from './runs.controller';
import { RunsRepository } from './runs.repository';
import { RunsService } from './runs.service';

/** Runs: create, get, update, delete/restore, tags, params, metrics, log-batch, log-model. */
@Module({})
export class RunsModule {
  static register(database: DynamicModule): DynamicModule {
    return {
      module: RunsModule,
      imports: [database],
      controllers: [RunsController],
      providers: [RunsService, RunLoggingService, RunsRepository, ActiveRun, RunReader, LoggedModelMetrics],
      exports: [RunReader, ActiveRun, RunsRepository],
    };
  }
}
