import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import type { DatabaseConfig } from '@cairn/config';
import { DatabaseModule, healthController } from '@cairn/nest-common';
import { AliasesModule } from './aliases/aliases.module';
import { HistoryModule } from './changes/history.module';
import { registrySchema } from './migrations';
import { ModelVersionsModule } from './model-versions/model-versions.module';
import { RegisteredModelsModule } from './registered-models/registered-models.module';
import { RegistryStoreModule } from './store/registry-store.module';

/** Everything registry-svc serves; mounted on NATS (its own process) or in-process (all-in-one). */
@Module({})
export class RegistryServiceModule {
  static register(config: DatabaseConfig): DynamicModule {
    const database = DatabaseModule.forSchema(registrySchema, config);
    const store = RegistryStoreModule.register(database);
    return {
      module: RegistryServiceModule,
      imports: [
        database,
        store,
        RegisteredModelsModule.register(store),
        ModelVersionsModule.register(store),
        AliasesModule.register(store),
        HistoryModule.register(store),
      ],
      controllers: [healthController('registry')],
    };
  }
}
