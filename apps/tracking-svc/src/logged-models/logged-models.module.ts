import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';

/** MLflow 3 logged models: create, get, finalize, delete, search, tags, params. */
@Module({})
export class LoggedModelsModule {
  static register(database: DynamicModule, runs: DynamicModule): DynamicModule {
    // `runs` exports RunReader (full runs) and the runs rules; import it rather than re-registering.
    return { module: LoggedModelsModule, imports: [database, runs], controllers: [], providers: [] };
  }
}
