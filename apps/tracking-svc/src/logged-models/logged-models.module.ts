import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { LoggedModelSearch } from './logged-model-search';
import { LoggedModelsController } from './logged-models.controller';
import { LoggedModelsRepository } from './logged-models.repository';
import { LoggedModelsService } from './logged-models.service';

/**
 * MLflow 3 logged models: create, get, finalize, delete, search, tags, params. Metric points of a
 * model are written by the runs module (log-metric / log-batch with a model_id) through
 * LoggedModelMetrics, which it provides itself: this module imports runs, so runs cannot import it.
 */
@Module({})
export class LoggedModelsModule {
  static register(database: DynamicModule, runs: DynamicModule): DynamicModule {
    return {
      module: LoggedModelsModule,
      imports: [database, runs],
      controllers: [LoggedModelsController],
      providers: [LoggedModelsService, LoggedModelsRepository, LoggedModelSearch],
    };
  }
}
