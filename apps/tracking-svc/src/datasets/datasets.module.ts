import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { DatasetsController } from './datasets.controller';
import { DatasetsRepository } from './datasets.repository';
import { DatasetsService } from './datasets.service';

/** Dataset inputs of runs (log-inputs, runs/outputs) and search-datasets for the UI. */
@Module({})
export class DatasetsModule {
  static register(database: DynamicModule, runs: DynamicModule): DynamicModule {
    return {
      module: DatasetsModule,
      imports: [database, runs],
      controllers: [DatasetsController],
      providers: [DatasetsService, DatasetsRepository],
    };
  }
}
