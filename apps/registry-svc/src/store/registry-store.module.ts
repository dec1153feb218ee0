import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { AliasesRepository } from '../aliases/aliases.repository';
import { ChangeLog } from '../changes/change-log';
import { ModelVersionsRepository } from '../model-versions/model-versions.repository';
import { RegisteredModelsRepository } from '../registered-models/registered-models.repository';
import { ModelTransactions } from './model-transactions';

/** The registry's tables, shared by its feature modules, and the one way a change is recorded. */
@Module({})
export class RegistryStoreModule {
  static register(database: DynamicModule): DynamicModule {
    const providers = [RegisteredModelsRepository, ModelVersionsRepository, AliasesRepository, ChangeLog, ModelTransactions];
    return { module: RegistryStoreModule, imports: [database], providers, exports: [database, ...providers] };
  }
}
