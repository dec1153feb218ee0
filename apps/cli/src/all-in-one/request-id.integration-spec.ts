import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { JsonLogger } from '@cairn/nest-common';
import { httpClient } from '@cairn/testing';
import type { TestServer } from './test-server';
import { startTestServer } from './test-server';

describe('structured logs with the request id carried from the gateway to the services', () => {
  const lines: Record<string, unknown>[] = [];
  let server: TestServer;

  before(async () => {
    server = await startTestServer({}, new JsonLogger('cairn', 'info', (line) => lines.push(JSON.parse(line))));
  });
  after(() => server.stop());

  it('writes the same request id in the access log and in the service that handled the message', async () => {
    const api = httpClient(server.url);
    const res = await api.post('/api/2.0/mlflow/experiments/create', { name: `logged-${Date.now()}` }, { 'x-request-id': 'req-abc-123' });
    assert.equal(res.status, 200);
    await new Promise((r) => setTimeout(r, 50));
    const mine = lines.filter((l) => l.requestId === 'req-abc-123');
    const access = mine.find((l) => l.msg === 'request');
    const handled = mine.find((l) => l.msg === 'message');
    assert.ok(access, 'gateway access log line');
    assert.equal(access.status, 200);
    assert.equal(access.path, '/api/2.0/mlflow/experiments/create');
    assert.ok(handled, 'service log line');
    assert.equal(handled.pattern, 'tracking.experiments.create.v1');
    assert.equal(typeof handled.ms, 'number');
  });

  it('logs the error code of a failed message', async () => {
    const api = httpClient(server.url);
    await api.get('/api/2.0/mlflow/experiments/get?experiment_id=424242', { 'x-request-id': 'req-missing' });
    await new Promise((r) => setTimeout(r, 50));
    const handled = lines.find((l) => l.requestId === 'req-missing' && l.msg === 'message');
    assert.equal(handled?.error, 'RESOURCE_DOES_NOT_EXIST');
  });
});
