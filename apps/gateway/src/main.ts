import 'reflect-metadata';
import { configOrExit, readGatewayConfig } from '@cairn/config';
import { JsonLogger } from '@cairn/nest-common';
import { GatewayModule } from './gateway.module';
import { createHttpApp } from './http/create-http-app';

async function main() {
  const config = configOrExit(() => readGatewayConfig());
  const logger = new JsonLogger('gateway', config.logLevel);
  try {
    const module = GatewayModule.register({
      transport: { kind: 'nats', natsUrl: config.natsUrl },
      requestTimeoutMs: config.requestTimeoutMs,
      artifactsUrl: config.artifactsUrl,
    });
    const app = await createHttpApp(module, config, logger);
    app.enableShutdownHooks();
    await app.listen(config.port, config.host);
    logger.log(`Cairn gateway listening at http://${config.host}:${config.port}`, 'Bootstrap');
  } catch (err) {
    logger.error(err instanceof Error ? err.message : String(err), 'Bootstrap');
    process.exit(1);
  }
}

void main();
