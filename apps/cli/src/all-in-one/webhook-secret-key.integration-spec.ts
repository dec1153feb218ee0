import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { JsonLogger } from '@cairn/nest-common';
import type { TestDatabase } from '@cairn/testing';
import { createTestDatabase, httpClient } from '@cairn/testing';
import { AllInOneServer } from './all-in-one.server';
import { testServerConfig } from './test-server';
import { mlflowSignature, webhookReceiver } from './webhook-receiver';
import { WEBHOOK_KEY_FILE } from './webhook-secret-key';

// All-in-one without CAIRN_WEBHOOK_SECRET_KEY: the key it makes is kept in CAIRN_HOME, so a
// webhook created before a restart still signs its deliveries after it.
describe('webhook secret key across restarts (all-in-one, real PostgreSQL)', () => {
  let home: string;
  let database: TestDatabase;
  const saved = { ...process.env };
  const logger = new JsonLogger('test', 'error');
  const start = async () => {
    const config = testServerConfig(home, database.url);
    const server = new AllInOneServer(config, logger);
    try {
      return { server, api: httpClient(await server.start()) };
    } catch (err) {
      await server.stop();
      throw err;
    }
  };

  before(async () => {
    delete process.env.CAIRN_WEBHOOK_SECRET_KEY;
    process.env.CAIRN_WEBHOOK_ALLOWED_HOSTS = '127.0.0.1';
    process.env.CAIRN_WEBHOOK_RETRY_BASE_MS = '200';
    home = await mkdtemp(path.join(tmpdir(), 'cairn-home-'));
    database = await createTestDatabase();
  });
  after(async () => {
    process.env = saved;
    await database?.drop();
    await rm(home, { recursive: true, force: true });
  });

  it('keeps the key in CAIRN_HOME (0600) and signs with it after a restart', async () => {
    const hook = await webhookReceiver();
    const secret = 'whsec-survives-restarts';
    try {
      const first = await start();
      const created = await first.api.post('/api/2.0/mlflow/webhooks', {
        name: 'alias-hook',
        url: hook.url,
        events: [{ entity: 'MODEL_VERSION_ALIAS', action: 'CREATED' }],
        secret,
      });
      assert.equal(created.status, 200, created.text);
      assert.equal((await first.api.post('/api/2.0/mlflow/registered-models/create', { name: 'churn' })).status, 200);
      assert.equal((await first.api.post('/api/2.0/mlflow/model-versions/create', { name: 'churn', source: 's3://b/m' })).status, 200);
      await first.server.stop();

      const keyFile = path.join(home, WEBHOOK_KEY_FILE);
      assert.equal((await stat(keyFile)).mode & 0o777, 0o600);
      assert.ok((await readFile(keyFile, 'utf8')).trim().length >= 32);

      const second = await start();
      try {
        const res = await second.api.post('/api/2.0/mlflow/registered-models/alias', { name: 'churn', alias: 'champion', version: '1' });
        assert.equal(res.status, 200, res.text);
        const [r] = await hook.until(1);
        const id = String(r!.headers['x-mlflow-delivery-id']);
        assert.equal(r!.headers['x-mlflow-signature'], mlflowSignature(secret, id, String(r!.headers['x-mlflow-timestamp']), r!.body));
        const body = JSON.parse(r!.body);
        assert.deepEqual([body.entity, body.action, body.data], ['model_version_alias', 'created', { name: 'churn', alias: 'champion', version: '1' }]);
      } finally {
        await second.server.stop();
      }
    } finally {
      await hook.close();
    }
  });

  it('refuses to start when the key that sealed the stored secrets is gone', async () => {
    await rm(path.join(home, WEBHOOK_KEY_FILE));
    await assert.rejects(start(), /CAIRN_WEBHOOK_SECRET_KEY does not decrypt the stored webhook secrets/);
  });
});
