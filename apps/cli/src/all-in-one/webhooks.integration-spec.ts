import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Pool } from 'pg';
import { httpClient } from '@cairn/testing';
import type { TestServer } from './test-server';
import { startTestServer } from './test-server';
import { mlflowSignature as sign, webhookReceiver as receiver } from './webhook-receiver';

// Webhooks end to end in all-in-one: the outbox relay → in-process bus → delivery worker → receiver.
describe('webhooks (all-in-one, real PostgreSQL)', () => {
  let server: TestServer;
  let api: ReturnType<typeof httpClient>;
  let db: Pool;
  const WH = '/api/2.0/mlflow/webhooks';
  const RM = '/api/2.0/mlflow/registered-models';
  const MV = '/api/2.0/mlflow/model-versions';
  const saved = { ...process.env };
  const ok = async (method: string, path: string, body?: unknown) => {
    const res = await api.send(method, path, body);
    assert.equal(res.status, 200, `${method} ${path}: ${res.text}`);
    return res.json as any;
  };

  before(async () => {
    process.env.CAIRN_WEBHOOK_ALLOWED_HOSTS = '127.0.0.1';
    process.env.CAIRN_WEBHOOK_RETRY_BASE_MS = '200';
    process.env.CAIRN_WEBHOOK_SECRET_KEY = 'integration-test-key-0123456789';
    server = await startTestServer();
    api = httpClient(server.url);
    db = new Pool({ connectionString: server.databaseUrl, max: 2 });
  });
  after(async () => {
    await db?.end();
    await server?.stop();
    process.env = saved;
  });

  it('creates, lists, gets, updates and deletes webhooks, never returning the secret', async () => {
    const created = await ok('POST', WH, {
      name: 'crud-hook',
      url: 'http://127.0.0.1:9/x',
      events: [{ entity: 'MODEL_VERSION', action: 'CREATED' }],
      secret: 'top-secret',
      description: 'd',
    });
    const id = created.webhook.webhook_id;
    assert.equal(created.webhook.status, 'ACTIVE');
    assert.ok(!JSON.stringify(created).includes('top-secret'));
    const { rows } = await db.query('SELECT secret_enc FROM registry.webhooks WHERE webhook_id = $1', [id]);
    assert.ok(rows[0].secret_enc && !rows[0].secret_enc.includes('top-secret'), 'stored encrypted');
    assert.equal((await ok('GET', `${WH}/${id}`)).webhook.name, 'crud-hook');
    assert.ok((await ok('GET', WH)).webhooks.some((w: { webhook_id: string }) => w.webhook_id === id));
    const updated = await ok('PATCH', `${WH}/${id}`, { status: 'DISABLED', secret: 'other' });
    assert.equal(updated.webhook.status, 'DISABLED');
    assert.ok(!JSON.stringify(updated).includes('other'));
    await ok('DELETE', `${WH}/${id}`);
    assert.equal((await api.get(`${WH}/${id}`)).status, 404);
  });

  it('refuses bad names, events and URLs to private or metadata addresses', async () => {
    const base = { name: 'bad', url: 'http://127.0.0.1:9/x', events: [{ entity: 'MODEL_VERSION', action: 'CREATED' }] };
    for (const body of [
      { ...base, name: 'Bad Name' },
      { ...base, events: [{ entity: 'RUN', action: 'CREATED' }] },
      { ...base, url: 'http://169.254.169.254/latest/meta-data' },
      { ...base, url: 'http://localhost:9/x' },
      { ...base, url: 'http://[fd00:ec2::254]/' },
      { ...base, url: 'file:///etc/passwd' },
    ]) {
      const res = await api.post(WH, body);
      assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.text}`);
      assert.equal((res.json as any).error_code, 'INVALID_PARAMETER_VALUE');
    }
  });

  it('delivers a signed stage transition, retrying after a 500', async () => {
    const hook = await receiver([500]);
    try {
      const secret = 'whsec-integration';
      const { webhook } = await ok('POST', WH, {
        name: `stage-${randomUUID().slice(0, 8)}`,
        url: hook.url,
        events: [{ entity: 'MODEL_VERSION', action: 'UPDATED' }],
        secret,
      });
      const name = `wh-${randomUUID()}`;
      await ok('POST', `${RM}/create`, { name });
      await ok('POST', `${MV}/create`, { name, source: 's3://b/m' });
      await ok('POST', `${MV}/transition-stage`, { name, version: '1', stage: 'Production', archive_existing_versions: false });

      const [first, second] = await hook.until(2);
      assert.equal(first!.status, 500);
      assert.equal(second!.status, 200);
      for (const r of [first!, second!]) {
        const id = String(r.headers['x-mlflow-delivery-id']);
        const ts = String(r.headers['x-mlflow-timestamp']);
        assert.match(ts, /^\d{10}$/);
        assert.equal(r.headers['x-mlflow-signature'], sign(secret, id, ts, r.body));
        const body = JSON.parse(r.body);
        assert.equal(body.entity, 'model_version');
        assert.equal(body.action, 'updated');
        assert.deepEqual(body.data, { name, version: '1', from_stage: 'None', to_stage: 'Production' });
      }
      assert.equal(first!.headers['x-mlflow-delivery-id'], second!.headers['x-mlflow-delivery-id'], 'a retry is the same delivery');
      assert.equal(first!.body, second!.body);

      // the delivery log (Cairn's API) shows both attempts
      const deadline = Date.now() + 5000;
      let log: any;
      while (Date.now() < deadline) {
        log = await ok('GET', `/api/cairn/v1/registry/webhooks/${webhook.webhook_id}/deliveries`);
        if (log.deliveries[0]?.status === 'SUCCEEDED') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(log.deliveries.length, 1);
      const [delivery] = log.deliveries;
      assert.deepEqual([delivery.delivery_id, delivery.entity, delivery.action, delivery.status], [first!.headers['x-mlflow-delivery-id'], 'MODEL_VERSION', 'UPDATED', 'SUCCEEDED']);
      assert.deepEqual(
        delivery.attempts.map((a: { attempt: number; response_status: number; error?: string }) => [a.attempt, a.response_status, a.error]),
        [
          [1, 500, 'HTTP 500'],
          [2, 200, undefined],
        ],
      );
      assert.ok(delivery.attempts[1].at >= delivery.attempts[0].at + 200, 'the retry waited for its backoff');
      assert.equal((await api.get(`/api/cairn/v1/registry/webhooks/nope/deliveries`)).status, 404);
    } finally {
      await hook.close();
    }
  });

  it('answers POST /webhooks/{id}/test with the receiver status', async () => {
    const hook = await receiver();
    try {
      const { webhook } = await ok('POST', WH, { name: 'tested', url: hook.url, events: [{ entity: 'REGISTERED_MODEL', action: 'CREATED' }], secret: 's' });
      const { result } = await ok('POST', `${WH}/${webhook.webhook_id}/test`, {});
      assert.deepEqual([result.success, result.response_status], [true, 200]);
      const r = hook.received[0]!;
      assert.equal(r.headers['x-mlflow-signature'], sign('s', String(r.headers['x-mlflow-delivery-id']), String(r.headers['x-mlflow-timestamp']), r.body));
    } finally {
      await hook.close();
    }
  });

  it('publishes committed changes and nothing for a rolled-back one', async () => {
    const name = `ob-${randomUUID()}`;
    await ok('POST', `${RM}/create`, { name });
    assert.equal((await api.post(`${MV}/transition-stage`, { name, version: '1', stage: 'Staging' })).status, 404);
    assert.equal((await api.post(`${RM}/create`, { name })).status, 400);
    const deadline = Date.now() + 5000;
    let rows: { event_type: string; published: boolean }[] = [];
    while (Date.now() < deadline) {
      ({ rows } = await db.query(
        `SELECT event_type, published_at IS NOT NULL AS published FROM registry.outbox WHERE payload->>'name' = $1 ORDER BY event_id`,
        [name],
      ));
      if (rows.every((r) => r.published)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(rows, [{ event_type: 'registered-model.created', published: true }]);
  });
});
