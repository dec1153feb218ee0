import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import type { ServiceConfig } from '@cairn/config';
import { JsonLogger } from '../logging/json-logger';
import { ServiceNatsServer } from '../transport/subject-route';
import { natsOptions } from '../transport/transport.providers';
import { WireReplySerializer } from '../transport/wire-reply';

/** A service's side of NATS: its queue group, replies of any size (transport/wire-reply.ts). */
export function serviceTransport(natsUrl: string, name: string): MicroserviceOptions {
  return {
    strategy: new ServiceNatsServer({
      ...natsOptions(natsUrl, name),
      queue: name,
      gracefulShutdown: true,
      gracePeriod: 2000,
      serializer: new WireReplySerializer(),
    }),
  };
}

/**
 * Starts one domain service as its own process on NATS request/reply. Replicas share a queue
 * group, so each request reaches exactly one of them. SIGTERM drains and closes cleanly.
 */
export async function runService(name: string, module: DynamicModule, config: ServiceConfig): Promise<void> {
  const logger = new JsonLogger(name, config.logLevel);
  try {
    const app = await NestFactory.createMicroservice<MicroserviceOptions>(module, {
      ...serviceTransport(config.natsUrl, name),
      logger,
      moduleIdGeneratorAlgorithm: 'reference',
    });
    app.enableShutdownHooks();
    await app.listen();
    logger.log(`${name} is listening on NATS`, 'Bootstrap');
  } catch (err) {
    logger.error(err instanceof Error ? err.message : String(err), 'Bootstrap');
    process.exit(1);
  }
}
