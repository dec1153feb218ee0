import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { RunSearchController } from './run-search.controller';
import { RunSearchRepository } from './run-search.repository';
import { RunSearchService } from './run-search.service';

/** search-runs: MLflow's run filter grammar compiled to one parameterized query. */
@Module({})
export class RunSearchModule {
  static register(database: DynamicModule, runs: DynamicModule): DynamicModule {
    // `runs` exports RunReader (full runs) and the runs rules; import it rather than re-registering.
    return {
      module: RunSearchModule,
      imports: [database, runs],
      controllers: [RunSearchController],
      providers: [RunSearchService, RunSearchRepository],
    };
  }
}
