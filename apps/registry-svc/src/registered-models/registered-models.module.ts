import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { RegisteredModelSearch } from './registered-model-search';
import { RegisteredModelsController } from './registered-models.controller';
import { RegisteredModelsService } from './registered-models.service';

@Module({})
export class RegisteredModelsModule {
  static register(store: DynamicModule): DynamicModule {
    return {
      module: RegisteredModelsModule,
      imports: [store],
      controllers: [RegisteredModelsController],
      providers: [RegisteredModelsService, RegisteredModelSearch],
    };
  }
}
