import { createServer } from 'node:net';
import path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ServerConfig } from '@cairn/config';
import { readRunnerSettings, readWebhooksConfig } from '@cairn/config';
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
    // The runner hands runs this server's own URL, so the port is fixed before listening.
    const port = config.port === 0 ? await freePort(config.host) : config.port;
    const runner = readRunnerSettings({
      stateDir: path.join(config.home, 'runner'),
      trackingUri: `http://${clientHost(config.host)}:${port}`,
      allowLocalProjects: true,
    });
    const module = AllInOneModule.register({ databaseUrl, poolSize: config.poolSize }, transport, config.requestTimeoutMs, artifacts, webhooks, runner);
    this.app = await createHttpApp(module, config, logger);
    this.app.connectMicroservice({ strategy: transport }, { inheritAppConfig: false });
    await this.app.startAllMicroservices();
    await this.app.listen(port, config.host);
    return `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  }

  async stop(): Promise<void> {
    await this.app?.close();
    await this.database?.stop();
    await this.lock?.release();
  }
}

/** How a client on this machine reaches a server bound to `host` (a wildcard means loopback). */
function clientHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/** A port on 127.0.0.1 that nothing listens on now, for artifact-svc's data plane. */
function freeLoopbackPort(): Promise<number> {
  return freePort('127.0.0.1');
}

/** A port on `host` that nothing listens on now. */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}
