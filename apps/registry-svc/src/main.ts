import 'reflect-metadata';
import { configOrExit, readServiceConfig, readWebhooksConfig } from '@cairn/config';
import { runService } from '@cairn/nest-common';
import { RegistryServiceModule } from './registry-svc.module';

const config = configOrExit(() => readServiceConfig());
const webhooks = configOrExit(() => readWebhooksConfig());
void runService(
  'registry-svc',
  RegistryServiceModule.register(config, { events: { kind: 'jetstream', natsUrl: config.natsUrl }, webhooks }),
  config,
);
