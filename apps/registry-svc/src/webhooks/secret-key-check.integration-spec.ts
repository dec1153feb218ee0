import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NestFactory } from '@nestjs/core';
import { Pool } from 'pg';
import type { WebhooksConfig } from '@cairn/config';
import { upgradeSchema } from '@cairn/nest-common';
import type { TestDatabase } from '@cairn/testing';
import { createTestDatabase } from '@cairn/testing';
import { registrySchema } from '../migrations';
import { RegistryServiceModule } from '../registry-svc.module';
import { WebhooksService } from './webhooks.service';

const config = (secretKey?: string): WebhooksConfig => ({ secretKey, allowedHosts: ['127.0.0.1'], timeoutMs: 1000, maxAttempts: 1, retryBaseMs: 100 });

// registry-svc (as its own process runs it) with and without CAIRN_WEBHOOK_SECRET_KEY.
describe('webhook secret key (registry-svc, real PostgreSQL)', () => {
  let database: TestDatabase;
  let pool: Pool;
  const boot = (secretKey?: string) =>
    NestFactory.createApplicationContext(
      RegistryServiceModule.register({ databaseUrl: database.url, poolSize: 2 }, { events: { kind: 'in-process' }, webhooks: config(secretKey) }),
      { logger: false, abortOnError: false },
    );

  before(async () => {
    database = await createTestDatabase();
    pool = new Pool({ connectionString: database.url, max: 2 });
    await upgradeSchema(pool, registrySchema);
  });
  after(async () => {
    await pool.end();
    await database.drop();
  });

  it('without a key: starts, serves webhooks without secrets, refuses to store a secret', async () => {
    const app = await boot();
    try {
      const hooks = app.get(WebhooksService);
      const event = { entity: 'MODEL_VERSION', action: 'CREATED' };
      await hooks.create({ name: 'plain', url: 'http://127.0.0.1:9/x', events: [event] });
      await assert.rejects(hooks.create({ name: 'signed', url: 'http://127.0.0.1:9/x', events: [event], secret: 's3cret' }), (err: Error) => {
        assert.match(err.message, /CAIRN_WEBHOOK_SECRET_KEY/);
        return true;
      });
      const { rows } = await pool.query(`SELECT name, secret_enc FROM registry.webhooks`);
      assert.deepEqual(rows, [{ name: 'plain', secret_enc: null }]);
    } finally {
      await app.close();
    }
  });

  it('refuses to start without the key, or with another key, once secrets are stored', async () => {
    const key = 'the-right-key-0123456789';
    const first = await boot(key);
    const hooks = first.get(WebhooksService);
    await hooks.create({ name: 'signed', url: 'http://127.0.0.1:9/x', events: [{ entity: 'MODEL_VERSION', action: 'CREATED' }], secret: 's3cret' });
    await first.close();

    await assert.rejects(boot(), /CAIRN_WEBHOOK_SECRET_KEY is not set, but stored webhooks have signing secrets/);
    await assert.rejects(boot('some-other-key-0123456789'), /CAIRN_WEBHOOK_SECRET_KEY does not decrypt the stored webhook secrets/);
    const again = await boot(key);
    await again.close();
  });
});
