import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { ModelVersionSearch } from './model-version-search';
import { ModelVersionsController } from './model-versions.controller';
import { ModelVersionsService } from './model-versions.service';
import { VersionOrigins } from './version-origin';

@Module({})
export class ModelVersionsModule {
  static register(store: DynamicModule): DynamicModule {
    return {
      module: ModelVersionsModule,
      imports: [store],
      controllers: [ModelVersionsController],
      providers: [ModelVersionsService, ModelVersionSearch, VersionOrigins],
    };
  }
}
