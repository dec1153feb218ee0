import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import type { WebhooksConfig } from '@cairn/config';
import { SecretBox } from './secret-box';
import { SecretKeyCheck } from './secret-key-check';
import { WebhookDelivery } from './webhook-delivery';
import { WebhookSender } from './webhook-sender';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';
import { SECRET_BOX, WEBHOOKS_CONFIG } from './webhooks.tokens';

/** MLflow 3.3 webhooks: the CRUD API, and delivery from the registry's events. */
@Module({})
export class WebhooksModule {
  static register(database: DynamicModule, events: DynamicModule, config: WebhooksConfig): DynamicModule {
    return {
      module: WebhooksModule,
      imports: [database, events],
      controllers: [WebhooksController],
      providers: [
        { provide: WEBHOOKS_CONFIG, useValue: config },
        { provide: SECRET_BOX, useValue: new SecretBox(config.secretKey) },
        WebhooksRepository,
        SecretKeyCheck,
        WebhookSender,
        WebhooksService,
        WebhookDelivery,
      ],
    };
  }
}
