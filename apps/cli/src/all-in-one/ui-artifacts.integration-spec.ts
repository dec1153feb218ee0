import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { httpClient } from '@cairn/testing';
import type { TestServer } from './test-server';
import { startTestServer } from './test-server';

const PROXY = '/api/2.0/mlflow-artifacts/artifacts';
const UPLOAD = '/ajax-api/2.0/mlflow/upload-artifact';

/** A POST whose body goes out in chunks, announcing no length. */
function chunkedPost(base: string, target: string, chunks: Buffer[]): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, method: 'POST', path: target, headers: { 'transfer-encoding': 'chunked' } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

// The two artifact routes MLflow's UI calls outside the proxy: a model version's files
// (`/model-versions/get-artifact`, resolved through registry-svc) and `upload-artifact`.
describe('UI artifact routes: model-version get-artifact and upload-artifact (all-in-one, disk)', () => {
  let server: TestServer;
  let api: ReturnType<typeof httpClient>;
  let runId: string;
  let root: string;
  let model: string;
  const mvArtifact = (query: string) => fetch(`${server.url}/model-versions/get-artifact?${query}`);

  before(async () => {
    server = await startTestServer();
    api = httpClient(server.url);
    const experimentId = (await api.post('/api/2.0/mlflow/experiments/create', { name: `ui-artifacts-${randomUUID()}` })).json.experiment_id;
    runId = (await api.post('/api/2.0/mlflow/runs/create', { experiment_id: experimentId })).json.run.info.run_id;
    root = `${experimentId}/${runId}/artifacts`;
    await fetch(`${server.url}${PROXY}/${root}/model/MLmodel`, { method: 'PUT', body: 'flavors:\n  python_function: {}\n' });
    await fetch(`${server.url}${PROXY}/${root}/model/data/weights.bin`, { method: 'PUT', body: Buffer.from([1, 2, 3]) });
    model = `ui-model-${randomUUID()}`;
    assert.equal((await api.post('/api/2.0/mlflow/registered-models/create', { name: model })).status, 200);
    const created = await api.post('/api/2.0/mlflow/model-versions/create', { name: model, source: `mlflow-artifacts:/${root}/model`, run_id: runId });
    assert.equal(created.status, 200, created.text);
  });
  after(async () => {
    await server.stop();
  });

  it("serves a model version's files with the headers of /get-artifact", async () => {
    const got = await mvArtifact(`name=${model}&version=1&path=MLmodel`);
    assert.equal(got.status, 200);
    assert.equal(await got.text(), 'flavors:\n  python_function: {}\n');
    assert.equal(got.headers.get('content-disposition'), 'attachment; filename=MLmodel');
    assert.equal(got.headers.get('content-type'), 'text/plain');
    assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
    const nested = await mvArtifact(`name=${encodeURIComponent(model)}&version=1&path=${encodeURIComponent('data/weights.bin')}`);
    assert.deepEqual(Buffer.from(await nested.arrayBuffer()), Buffer.from([1, 2, 3]));
    assert.equal(nested.headers.get('content-type'), 'application/octet-stream');
    const tail = await fetch(`${server.url}/model-versions/get-artifact?name=${model}&version=1&path=data/weights.bin`, { headers: { range: 'bytes=1-' } });
    assert.equal(tail.status, 206);
    assert.deepEqual(Buffer.from(await tail.arrayBuffer()), Buffer.from([2, 3]));
  });

  it('answers 404 RESOURCE_DOES_NOT_EXIST for a missing model, version or file', async () => {
    for (const query of [`name=nope-${randomUUID()}&version=1&path=MLmodel`, `name=${model}&version=9&path=MLmodel`, `name=${model}&version=1&path=nothing.txt`, `name=${model}&version=1&path=data`]) {
      const got = await api.get(`/model-versions/get-artifact?${query}`);
      assert.equal(got.status, 404, query);
      assert.equal(got.json.error_code, 'RESOURCE_DOES_NOT_EXIST', query);
    }
  });

  it('refuses traversal in path with 400 "Invalid path", and a missing path', async () => {
    for (const bad of ['../../../etc/passwd', '/etc/passwd', '..%2f..%2fsecret', '%252e%252e/x', 'a\\..\\..\\b', 'x#y']) {
      const got = await api.get(`/model-versions/get-artifact?name=${model}&version=1&path=${encodeURIComponent(bad)}`);
      assert.equal(got.status, 400, bad);
      assert.deepEqual(got.json, { error_code: 'INVALID_PARAMETER_VALUE', message: 'Invalid path' }, bad);
    }
    const missing = await api.get(`/model-versions/get-artifact?name=${model}&version=1`);
    assert.equal(missing.status, 400);
    assert.equal(missing.json.error_code, 'INVALID_PARAMETER_VALUE');
  });

  it('uploads raw bytes of any content type into the run, visible to the listing and downloads', async () => {
    const body = JSON.stringify({ columns: ['a'], data: [[1]] });
    const posted = await fetch(`${server.url}${UPLOAD}?run_uuid=${runId}&path=eval/table.json`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(posted.status, 200);
    assert.match(posted.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(await posted.text(), '');
    const listed = await api.get(`/api/2.0/mlflow/artifacts/list?run_id=${runId}&path=eval`);
    assert.deepEqual(listed.json.files, [{ path: 'eval/table.json', is_dir: false, file_size: body.length }]);
    assert.equal(await (await fetch(`${server.url}/get-artifact?run_id=${runId}&path=eval/table.json`)).text(), body);
    const chunked = await chunkedPost(server.url, `${UPLOAD}?run_id=${runId}&path=eval/chunked.bin`, [Buffer.from('ab'), Buffer.from('cd')]);
    assert.equal(chunked.status, 200, chunked.body);
    assert.equal(await (await fetch(`${server.url}/get-artifact?run_id=${runId}&path=eval/chunked.bin`)).text(), 'abcd');
  });

  it("refuses what MLflow's handler refuses, with its messages, and stores nothing", async () => {
    const refusals: [string, RequestInit, string][] = [
      [`${UPLOAD}?path=a.txt`, { body: 'x' }, 'Request must specify run_uuid.'],
      [`${UPLOAD}?run_uuid=${runId}`, { body: 'x' }, 'Request must specify path.'],
      [`${UPLOAD}?run_uuid=${runId}&path=up/empty.txt`, { body: '' }, 'Request must specify data.'],
      [`${UPLOAD}?run_uuid=${runId}&path=up/big.bin`, { body: Buffer.alloc(10 * 1024 * 1024 + 1) }, 'Artifact size is too large. Max size is 10MB.'],
      [`${UPLOAD}?run_uuid=${runId}&path=${encodeURIComponent('../../../x.txt')}`, { body: 'x' }, 'Invalid path'],
      [`${UPLOAD}?run_uuid=${runId}&path=%252e%252e%252fx`, { body: 'x' }, 'Invalid path'],
    ];
    for (const [target, init, message] of refusals) {
      const got = await fetch(`${server.url}${target}`, { method: 'POST', ...init });
      assert.equal(got.status, 400, target);
      assert.deepEqual(await got.json(), { error_code: 'INVALID_PARAMETER_VALUE', message }, target);
    }
    const overLong = await chunkedPost(server.url, `${UPLOAD}?run_uuid=${runId}&path=up/chunked-big.bin`, [Buffer.alloc(6 << 20), Buffer.alloc(6 << 20)]);
    assert.equal(overLong.status, 400);
    assert.match(overLong.body, /Max size is 10MB/);
    const missingRun = await fetch(`${server.url}${UPLOAD}?run_uuid=${'0'.repeat(32)}&path=a.txt`, { method: 'POST', body: 'x' });
    assert.equal(missingRun.status, 404);
    assert.deepEqual((await api.get(`/api/2.0/mlflow/artifacts/list?run_id=${runId}&path=up`)).json, { root_uri: `mlflow-artifacts:/${root}` });
  });
});
