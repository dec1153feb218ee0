import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import type { DatabaseConfig, WebhooksConfig } from '@cairn/config';
import { readWebhooksConfig } from '@cairn/config';
import { DatabaseModule, healthController } from '@cairn/nest-common';
import { AliasesModule } from './aliases/aliases.module';
import { HistoryModule } from './changes/history.module';
import type { EventTransport } from './events/event-bus';
import { RegistryEventsModule } from './events/events.module';
import { registrySchema } from './migrations';
import { ModelVersionsModule } from './model-versions/model-versions.module';
import { RegisteredModelsModule } from './registered-models/registered-models.module';
import { RegistryStoreModule } from './store/registry-store.module';
import { WebhooksModule } from './webhooks/webhooks.module';

export interface RegistryServiceOptions {
  /** Where committed changes are published: in-process (all-in-one, the default) or JetStream. */
  events?: EventTransport;
  /** Webhook settings; by default read from CAIRN_WEBHOOK_* environment variables. */
  webhooks?: WebhooksConfig;
}

/** Everything registry-svc serves; mounted on NATS (its own process) or in-process (all-in-one). */
@Module({})
export class RegistryServiceModule {
  static register(config: DatabaseConfig, transportOrOptions: EventTransport | RegistryServiceOptions = {}): DynamicModule {
    const options: RegistryServiceOptions = 'kind' in transportOrOptions ? { events: transportOrOptions } : transportOrOptions;
    const database = DatabaseModule.forSchema(registrySchema, config);
    const store = RegistryStoreModule.register(database);
    const events = RegistryEventsModule.register(database, options.events);
    return {
      module: RegistryServiceModule,
      imports: [
        database,
        store,
        RegisteredModelsModule.register(store),
        ModelVersionsModule.register(store),
        AliasesModule.register(store),
        HistoryModule.register(store),
        events,
        WebhooksModule.register(database, events, options.webhooks ?? readWebhooksConfig()),
      ],
      controllers: [healthController('registry')],
    };
  }
}
