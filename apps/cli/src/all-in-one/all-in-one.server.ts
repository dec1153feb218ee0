import { createServer } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ServerConfig } from '@cairn/config';
import { readWebhooksConfig } from '@cairn/config';
import { createHttpApp } from '@cairn/gateway';
import type { JsonLogger } from '@cairn/nest-common';
import { InProcessServer } from '@cairn/nest-common';
import { upgradeAll } from '../database/upgrade';
import { AllInOneModule } from './all-in-one.module';
import { EmbeddedDatabase } from './embedded-postgres';
import { HomeLock } from './home-lock';
import { withWebhookSecretKey } from './webhook-secret-key';

/**
 * `cairn server`: PostgreSQL (embedded under CAIRN_HOME unless CAIRN_DATABASE_URL is set),
 * migrations (this is the only replica, so it upgrades on start), then every service and the
 * gateway in this one process. `stop()` closes HTTP and the services before PostgreSQL.
 */
export class AllInOneServer {
  private app?: NestFastifyApplication;
  private database?: EmbeddedDatabase;
  private lock?: HomeLock;

  constructor(
    private readonly config: ServerConfig,
    private readonly logger: JsonLogger,
  ) {}

  async start(): Promise<string> {
    const { config, logger } = this;
    this.lock = await HomeLock.acquire(config.home);
    if (!config.databaseUrl) this.database = await EmbeddedDatabase.start(config.home, config.embeddedPostgresPort, logger);
    const databaseUrl = config.databaseUrl ?? this.database!.url;
    await upgradeAll({ databaseUrl, poolSize: 1 });

    const transport = new InProcessServer();
    const artifacts = { destination: config.artifacts, dataPlanePort: await freeLoopbackPort() };
    const webhooks = await withWebhookSecretKey(readWebhooksConfig(), config.home);
    const module = AllInOneModule.register({ databaseUrl, poolSize: config.poolSize }, transport, config.requestTimeoutMs, artifacts, webhooks);
    this.app = await createHttpApp(module, config, logger);
    this.app.connectMicroservice({ strategy: transport }, { inheritAppConfig: false });
    await this.app.startAllMicroservices();
    await this.app.listen(config.port, config.host);
    const address = this.app.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    return `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  }

  async stop(): Promise<void> {
    await this.app?.close();
    await this.database?.stop();
    await this.lock?.release();
  }
}

/** A port on 127.0.0.1 that nothing listens on now, for artifact-svc's data plane. */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}
