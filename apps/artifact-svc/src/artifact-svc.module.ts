import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import type { DatabaseConfig } from '@cairn/config';
import { DatabaseModule, healthController } from '@cairn/nest-common';
import { artifactsSchema } from './migrations';

@Module({})
export class ArtifactServiceModule {
  static register(config: DatabaseConfig): DynamicModule {
    return {
      module: ArtifactServiceModule,
      imports: [DatabaseModule.forSchema(artifactsSchema, config)],
      controllers: [healthController('artifacts')],
    };
  }
}
