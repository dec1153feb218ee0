import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';

/** Dataset inputs of runs (log-inputs, runs/outputs) and search-datasets for the UI. */
@Module({})
export class DatasetsModule {
  static register(database: DynamicModule, runs: DynamicModule): DynamicModule {
    // `runs` exports RunReader (full runs) and the runs rules; import it rather than re-registering.
    return { module: DatasetsModule, imports: [database, runs], controllers: [], providers: [] };
  }
}
