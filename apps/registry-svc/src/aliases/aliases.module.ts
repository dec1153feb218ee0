import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { AliasesController } from './aliases.controller';
import { AliasesService } from './aliases.service';

@Module({})
export class AliasesModule {
  static register(store: DynamicModule): DynamicModule {
    return { module: AliasesModule, imports: [store], controllers: [AliasesController], providers: [AliasesService] };
  }
}
