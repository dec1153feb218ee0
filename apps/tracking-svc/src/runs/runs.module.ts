import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { RunReader } from './run-reader';

/** Runs: create, get, update, delete/restore, tags, params, metrics, log-batch, log-model. */
@Module({})
export class RunsModule {
  static register(database: DynamicModule): DynamicModule {
    return { module: RunsModule, imports: [database], controllers: [], providers: [RunReader], exports: [RunReader] };
  }
}
