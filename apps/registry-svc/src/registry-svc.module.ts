import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import type { DatabaseConfig } from '@cairn/config';
import { DatabaseModule, healthController } from '@cairn/nest-common';
import { registrySchema } from './migrations';

@Module({})
export class RegistryServiceModule {
  static register(config: DatabaseConfig): DynamicModule {
    return {
      module: RegistryServiceModule,
      imports: [DatabaseModule.forSchema(registrySchema, config)],
      controllers: [healthController('registry')],
    };
  }
}
