import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { randomUUID } from 'node:crypto';
import { httpClient } from '@cairn/testing';
import type { TestServer } from './test-server';
import { startTestServer } from './test-server';

// The MLflow experiments API through the whole all-in-one stack: Fastify gateway, in-process
// transport, tracking-svc, real PostgreSQL.
describe('MLflow experiments API (all-in-one, real PostgreSQL)', () => {
  let server: TestServer;
  let api: ReturnType<typeof httpClient>;
  const E = '/api/2.0/mlflow/experiments';
  const unique = (prefix = 'exp') => `${prefix}-${randomUUID()}`;
  const create = async (body: Record<string, unknown>) => {
    const res = await api.post(`${E}/create`, body);
    assert.equal(res.status, 200, res.text);
    return res.json.experiment_id as string;
  };

  before(async () => {
    server = await startTestServer();
    api = httpClient(server.url);
  });
  after(() => server.stop());

  it('answers /health, /version and /ready', async () => {
    const health = await api.get('/health');
    assert.equal(health.status, 200);
    assert.equal(health.text, 'OK');
    assert.match((await api.get('/version')).text, /^3\.\d+\.\d+$/);
    const ready = await api.get('/ready');
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.json, { ready: true, services: { tracking: 'ok', registry: 'ok', artifacts: 'ok', runner: 'ok' } });
  });

  it('has the Default experiment 0 from the start', async () => {
    const res = await api.get(`${E}/get?experiment_id=0`);
    assert.equal(res.status, 200);
    assert.equal(res.json.experiment.name, 'Default');
    assert.equal(res.json.experiment.artifact_location, 'mlflow-artifacts:/0');
  });

  it('creates and gets an experiment in MLflow JSON: string id, numeric times, no empty tags', async () => {
    const name = unique();
    const id = await create({ name });
    assert.match(id, /^\d+$/);
    const { json } = await api.get(`${E}/get?experiment_id=${id}`);
    assert.equal(json.experiment.experiment_id, id);
    assert.equal(json.experiment.name, name);
    assert.equal(json.experiment.lifecycle_stage, 'active');
    assert.equal(json.experiment.artifact_location, `mlflow-artifacts:/${id}`);
    assert.equal(typeof json.experiment.creation_time, 'number');
    assert.equal(typeof json.experiment.last_update_time, 'number');
    assert.ok(!('tags' in json.experiment));
    const byName = await api.get(`${E}/get-by-name?experiment_name=${encodeURIComponent(name)}`);
    assert.equal(byName.json.experiment.experiment_id, id);
  });

  it('keeps tags and a remote artifact_location given at creation', async () => {
    const id = await create({ name: unique(), artifact_location: 's3://bucket/exp', tags: [{ key: 'team', value: 'ml' }] });
    const { json } = await api.get(`${E}/get?experiment_id=${id}`);
    assert.equal(json.experiment.artifact_location, 's3://bucket/exp');
    assert.deepEqual(json.experiment.tags, [{ key: 'team', value: 'ml' }]);
  });

  it('refuses artifact locations on the server file system', async () => {
    for (const artifact_location of ['file:///etc', '/etc/passwd', 'mlflow-artifacts:/1/../../etc', 'runs:/abc/x']) {
      const res = await api.post(`${E}/create`, { name: unique(), artifact_location });
      assert.equal(res.status, 400, artifact_location);
      assert.equal(res.json.error_code, 'INVALID_PARAMETER_VALUE');
    }
  });

  it('rejects a duplicate name with 400 RESOURCE_ALREADY_EXISTS, deleted experiments included', async () => {
    const name = unique();
    const id = await create({ name });
    const dup = await api.post(`${E}/create`, { name });
    assert.equal(dup.status, 400);
    assert.equal(dup.json.error_code, 'RESOURCE_ALREADY_EXISTS');
    await api.post(`${E}/delete`, { experiment_id: id });
    assert.equal((await api.post(`${E}/create`, { name })).json.error_code, 'RESOURCE_ALREADY_EXISTS');
  });

  it('answers 404 RESOURCE_DOES_NOT_EXIST for missing experiments', async () => {
    for (const path of [`${E}/get?experiment_id=987654321`, `${E}/get-by-name?experiment_name=${unique()}`]) {
      const res = await api.get(path);
      assert.equal(res.status, 404, path);
      assert.equal(res.json.error_code, 'RESOURCE_DOES_NOT_EXIST');
    }
  });

  it('refuses a non-integer experiment id with 400', async () => {
    const res = await api.get(`${E}/get?experiment_id=abc`);
    assert.equal(res.status, 400);
    assert.equal(res.json.message, "Invalid experiment ID 'abc'. Experiment ID must be a valid integer.");
  });

  it('answers unknown routes with 404 ENDPOINT_NOT_FOUND in JSON', async () => {
    const res = await api.get('/api/2.0/mlflow/nope');
    assert.equal(res.status, 404);
    assert.equal(res.json.error_code, 'ENDPOINT_NOT_FOUND');
  });

  it('mirrors the API under /ajax-api', async () => {
    const name = unique();
    const res = await api.post('/ajax-api/2.0/mlflow/experiments/create', { name });
    assert.equal(res.status, 200);
    const got = await api.get(`/ajax-api/2.0/mlflow/experiments/get?experiment_id=${res.json.experiment_id}`);
    assert.equal(got.json.experiment.name, name);
  });

  it('renames, soft-deletes and restores', async () => {
    const id = await create({ name: unique() });
    const newName = unique('renamed');
    assert.equal((await api.post(`${E}/update`, { experiment_id: id, new_name: newName })).status, 200);
    assert.equal((await api.get(`${E}/get?experiment_id=${id}`)).json.experiment.name, newName);

    assert.equal((await api.post(`${E}/delete`, { experiment_id: id })).status, 200);
    assert.equal((await api.get(`${E}/get?experiment_id=${id}`)).json.experiment.lifecycle_stage, 'deleted');
    const again = await api.post(`${E}/delete`, { experiment_id: id });
    assert.equal(again.json.error_code, 'RESOURCE_DOES_NOT_EXIST');
    const rename = await api.post(`${E}/update`, { experiment_id: id, new_name: unique() });
    assert.equal(rename.status, 500);
    assert.equal(rename.json.error_code, 'INVALID_STATE');

    assert.equal((await api.post(`${E}/restore`, { experiment_id: id })).status, 200);
    assert.equal((await api.get(`${E}/get?experiment_id=${id}`)).json.experiment.lifecycle_stage, 'active');
    assert.equal((await api.post(`${E}/restore`, { experiment_id: id })).json.error_code, 'RESOURCE_DOES_NOT_EXIST');
  });

  it('refuses a rename onto an existing name', async () => {
    const taken = unique();
    await create({ name: taken });
    const id = await create({ name: unique() });
    const res = await api.post(`${E}/update`, { experiment_id: id, new_name: taken });
    assert.equal(res.status, 400);
    assert.equal(res.json.error_code, 'RESOURCE_ALREADY_EXISTS');
  });

  it('sets, overwrites and deletes experiment tags', async () => {
    const id = await create({ name: unique() });
    await api.post(`${E}/set-experiment-tag`, { experiment_id: id, key: 'k', value: 'v1' });
    await api.post(`${E}/set-experiment-tag`, { experiment_id: id, key: 'k', value: 'v2' });
    assert.deepEqual((await api.get(`${E}/get?experiment_id=${id}`)).json.experiment.tags, [{ key: 'k', value: 'v2' }]);
    assert.equal((await api.post(`${E}/delete-experiment-tag`, { experiment_id: id, key: 'k' })).status, 200);
    assert.ok(!('tags' in (await api.get(`${E}/get?experiment_id=${id}`)).json.experiment));
    const missing = await api.post(`${E}/delete-experiment-tag`, { experiment_id: id, key: 'k' });
    assert.equal(missing.status, 404);
    const tooLong = await api.post(`${E}/set-experiment-tag`, { experiment_id: id, key: 'k', value: 'x'.repeat(20_001) });
    assert.equal(tooLong.json.error_code, 'INVALID_PARAMETER_VALUE');
  });

  it('searches with filter, order_by and page tokens, by POST and by GET', async () => {
    const prefix = unique('page');
    const names = Array.from({ length: 7 }, (_, i) => `${prefix}-${i}`);
    for (const name of names) await create({ name, tags: [{ key: 'group', value: prefix }] });
    const seen: string[] = [];
    let pageToken: string | undefined;
    do {
      const res = await api.post(`${E}/search`, {
        filter: `name LIKE '${prefix}%'`,
        order_by: ['name ASC'],
        max_results: 3,
        ...(pageToken && { page_token: pageToken }),
      });
      assert.equal(res.status, 200, res.text);
      seen.push(...res.json.experiments.map((e: { name: string }) => e.name));
      pageToken = res.json.next_page_token;
    } while (pageToken);
    assert.deepEqual(seen, names);

    const byTag = await api.get(`${E}/search?filter=${encodeURIComponent(`tags.group = '${prefix}'`)}&order_by=name+DESC&max_results=2`);
    assert.equal(byTag.status, 200, byTag.text);
    assert.deepEqual(byTag.json.experiments.map((e: { name: string }) => e.name), [names[6], names[5]]);
    assert.ok(byTag.json.next_page_token);
  });

  it('hides deleted experiments unless view_type asks for them', async () => {
    const name = unique('view');
    const id = await create({ name });
    await api.post(`${E}/delete`, { experiment_id: id });
    const count = async (view_type: string) =>
      (await api.post(`${E}/search`, { filter: `name = '${name}'`, view_type })).json.experiments?.length ?? 0;
    assert.equal(await count('ACTIVE_ONLY'), 0);
    assert.equal(await count('DELETED_ONLY'), 1);
    assert.equal(await count('ALL'), 1);
  });

  describe('bad input', () => {
    it('requires Content-Type: application/json on POST', async () => {
      const missing = await api.send('POST', `${E}/create`, JSON.stringify({ name: unique() }), { 'content-type': '' });
      assert.equal(missing.status, 400);
      assert.equal(missing.json.error_code, 'INVALID_PARAMETER_VALUE');
      const wrong = await api.post(`${E}/create`, JSON.stringify({ name: unique() }), { 'content-type': 'text/plain' });
      assert.equal(wrong.status, 400);
      assert.match(wrong.json.message, /Content-Type must be one of/);
    });

    it('answers malformed JSON with 400, not 500', async () => {
      const res = await api.post(`${E}/create`, '{"name": ');
      assert.equal(res.status, 400);
      assert.equal(res.json.error_code, 'INVALID_PARAMETER_VALUE');
    });

    it('names a missing required parameter the way MLflow does', async () => {
      const res = await api.post(`${E}/create`, {});
      assert.equal(res.status, 400);
      assert.match(res.json.message, /^Missing value for required parameter 'name'/);
    });

    it('ignores unknown fields', async () => {
      const res = await api.post(`${E}/create`, { name: unique(), surprise: { nested: true } });
      assert.equal(res.status, 200);
    });

    it('refuses over-long names and writes nothing', async () => {
      const name = `long-${'x'.repeat(500)}`;
      const res = await api.post(`${E}/create`, { name, tags: [{ key: 'a', value: 'b' }] });
      assert.equal(res.status, 400);
      assert.equal(res.json.error_code, 'INVALID_PARAMETER_VALUE');
      const search = await api.post(`${E}/search`, { filter: `name LIKE 'long-x%'`, view_type: 'ALL' });
      assert.ok(!search.json.experiments);
    });

    it('rejects a wrongly typed value with its parameter name', async () => {
      const res = await api.post(`${E}/create`, { name: 123 });
      assert.equal(res.status, 400);
      assert.match(res.json.message, /Invalid value 123 for parameter 'name' supplied/);
    });

    it('validates max_results and page_token', async () => {
      for (const query of ['max_results=abc', 'max_results=0', 'max_results=50001', 'page_token=not-a-token']) {
        const res = await api.get(`${E}/search?${query}`);
        assert.equal(res.status, 400, query);
        assert.equal(res.json.error_code, 'INVALID_PARAMETER_VALUE', query);
      }
    });

    it('answers a bad filter with 400 naming the problem', async () => {
      const res = await api.post(`${E}/search`, { filter: "name = 'a' OR name = 'b'" });
      assert.equal(res.status, 400);
      assert.equal(res.json.error_code, 'INVALID_PARAMETER_VALUE');
    });
  });

  it('carries a request id: echoes a valid one, makes one otherwise', async () => {
    const given = await api.get('/health', { 'x-request-id': 'trace-123' });
    assert.equal(given.headers.get('x-request-id'), 'trace-123');
    const made = await api.get('/health', { 'x-request-id': 'bad id with spaces' });
    assert.match(made.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });
});
