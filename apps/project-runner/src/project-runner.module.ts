import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import type { DatabaseConfig } from '@cairn/config';
import { DatabaseModule, healthController } from '@cairn/nest-common';
import { runnerSchema } from './migrations';

@Module({})
export class ProjectRunnerModule {
  static register(config: DatabaseConfig): DynamicModule {
    return {
      module: ProjectRunnerModule,
      imports: [DatabaseModule.forSchema(runnerSchema, config)],
      controllers: [healthController('runner')],
    };
  }
}
