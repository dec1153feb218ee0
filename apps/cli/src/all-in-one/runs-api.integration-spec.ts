import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { randomUUID } from 'node:crypto';
import { httpClient } from '@cairn/testing';
import type { TestServer } from './test-server';
import { startTestServer } from './test-server';

// The MLflow runs API through the whole all-in-one stack on real PostgreSQL.
describe('MLflow runs API (all-in-one, real PostgreSQL)', () => {
  let server: TestServer;
  let api: ReturnType<typeof httpClient>;
  let experimentId: string;
  const R = '/api/2.0/mlflow/runs';

  const createRun = async (body: Record<string, unknown> = {}) => {
    const res = await api.post(`${R}/create`, { experiment_id: experimentId, start_time: Date.now(), ...body });
    assert.equal(res.status, 200, res.text);
    return res.json.run;
  };
  const getRun = async (runId: string) => (await api.get(`${R}/get?run_id=${runId}`)).json.run;

  before(async () => {
    server = await startTestServer();
    api = httpClient(server.url);
    experimentId = (await api.post('/api/2.0/mlflow/experiments/create', { name: `runs-${randomUUID()}` })).json.experiment_id;
  });
  after(() => server.stop());

  it('creates a run with a 32-hex id, a random name kept in the mlflow.runName tag, and its artifact uri', async () => {
    const run = await createRun({ user_id: 'alice', tags: [{ key: 'mlflow.user', value: 'alice' }] });
    assert.match(run.info.run_id, /^[0-9a-f]{32}$/);
    assert.equal(run.info.run_uuid, run.info.run_id);
    assert.match(run.info.run_name, /^[a-z]+-[a-z]+-\d{1,3}$/);
    assert.equal(run.info.status, 'RUNNING');
    assert.equal(run.info.lifecycle_stage, 'active');
    assert.equal(run.info.artifact_uri, `mlflow-artifacts:/${experimentId}/${run.info.run_id}/artifacts`);
    assert.ok(!('end_time' in run.info));
    const fetched = await getRun(run.info.run_id);
    assert.deepEqual(fetched.info, run.info);
    assert.deepEqual(fetched.data.tags, [
      { key: 'mlflow.runName', value: run.info.run_name },
      { key: 'mlflow.user', value: 'alice' },
    ]);
  });

  it('refuses a run_name that disagrees with the mlflow.runName tag, and runs in unknown or deleted experiments', async () => {
    const clash = await api.post(`${R}/create`, { experiment_id: experimentId, run_name: 'a', tags: [{ key: 'mlflow.runName', value: 'b' }] });
    assert.equal(clash.json.error_code, 'INVALID_PARAMETER_VALUE');
    assert.equal((await api.post(`${R}/create`, { experiment_id: '99999999' })).status, 404);
    const gone = (await api.post('/api/2.0/mlflow/experiments/create', { name: `gone-${randomUUID()}` })).json.experiment_id;
    await api.post('/api/2.0/mlflow/experiments/delete', { experiment_id: gone });
    assert.equal((await api.post(`${R}/create`, { experiment_id: gone })).json.error_code, 'INVALID_PARAMETER_VALUE');
  });

  it('logs params (idempotent, immutable), metrics (latest per key) and tags', async () => {
    const id = (await createRun({ run_name: 'logging' })).info.run_id;
    assert.equal((await api.post(`${R}/log-parameter`, { run_id: id, key: 'alpha', value: '0.5' })).status, 200);
    assert.equal((await api.post(`${R}/log-parameter`, { run_id: id, key: 'alpha', value: '0.5' })).status, 200);
    const changed = await api.post(`${R}/log-parameter`, { run_id: id, key: 'alpha', value: '0.7' });
    assert.equal(changed.status, 400);
    assert.match(changed.json.message, /^Changing param values is not allowed\. Param with key='alpha' was already logged with value='0\.5'/);
    for (const [step, value] of [[0, 1.5], [2, 0.5], [1, 0.9]]) {
      await api.post(`${R}/log-metric`, { run_id: id, key: 'rmse', value, timestamp: 1000 + step, step });
    }
    await api.post(`${R}/set-tag`, { run_id: id, key: 'team', value: 'ml' });
    const run = await getRun(id);
    assert.deepEqual(run.data.params, [{ key: 'alpha', value: '0.5' }]);
    assert.deepEqual(run.data.metrics, [{ key: 'rmse', value: 0.5, timestamp: 1002, step: 2 }]);
    assert.ok(run.data.tags.some((t: { key: string }) => t.key === 'team'));
  });

  it('carries NaN and infinities as MLflow does', async () => {
    const id = (await createRun()).info.run_id;
    await api.post(`${R}/log-batch`, {
      run_id: id,
      metrics: [
        { key: 'a', value: 'NaN', timestamp: 1, step: 0 },
        { key: 'b', value: 'Infinity', timestamp: 1, step: 0 },
        { key: 'c', value: '-Infinity', timestamp: 1, step: 0 },
      ],
    });
    const values = Object.fromEntries((await getRun(id)).data.metrics.map((m: { key: string; value: unknown }) => [m.key, m.value]));
    assert.deepEqual(values, { a: 'NaN', b: 'Infinity', c: '-Infinity' });
  });

  it('stores a re-sent point once (a whole batch again, a point twice in one batch), whatever MLflow allows in a key', async () => {
    const id = (await createRun()).info.run_id;
    type P = { key: string; value: number; timestamp: number; step: number };
    const keys = ['loss', 'val loss', 'eval/f1:macro', 'métrique_1', 'x.y-z'];
    const batch: P[] = Array.from({ length: 300 }, (_, i) => ({ key: keys[i % 5]!, value: i / 7, timestamp: 5000 + i, step: Math.floor(i / 5) }));
    const log = (metrics: P[]) => api.post(`${R}/log-batch`, { run_id: id, metrics });
    assert.equal((await log(batch)).status, 200);
    assert.equal((await log(batch)).status, 200, 'the same batch again');
    // One point twice in the same request, a point already stored, and one that differs only in value (a new point).
    const changed = { ...batch[0]!, value: 42 };
    assert.equal((await log([batch[7]!, batch[7]!, changed, batch[0]!])).status, 200);

    for (const key of keys) {
      const history = await api.get(`/api/2.0/mlflow/metrics/get-history?run_id=${id}&metric_key=${encodeURIComponent(key)}`);
      const want = [...batch.filter((p) => p.key === key), ...(key === changed.key ? [changed] : [])];
      const got = (history.json.metrics as P[]).map((p) => `${p.timestamp}/${p.step}/${p.value}`);
      assert.deepEqual(got.sort(), want.map((p) => `${p.timestamp}/${p.step}/${p.value}`).sort(), key);
    }
    const latest = (await getRun(id)).data.metrics as P[];
    assert.deepEqual(latest.map((m) => m.key).sort(), [...keys].sort());
    assert.deepEqual(latest.find((m) => m.key === 'val loss'), { key: 'val loss', value: 296 / 7, timestamp: 5296, step: 59 });
    // The charts' series summary counted each stored point once: a 60-point series is returned whole.
    const chart = await api.get(`/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval?run_ids=${id}&metric_key=val%20loss&max_results=60`);
    assert.deepEqual(chart.json.metrics.map((m: P) => m.step), Array.from({ length: 60 }, (_, i) => i));
  });

  it('keeps, per key, the point with the largest (step, timestamp, value) as the latest, whatever order a batch comes in', async () => {
    const id = (await createRun()).info.run_id;
    const points = [
      { key: 'acc', value: 0.9, timestamp: 10, step: 3 },
      { key: 'acc', value: 0.7, timestamp: 99, step: 2 },
      { key: 'loss', value: 0.2, timestamp: 50, step: 5 },
      { key: 'loss', value: 0.4, timestamp: 50, step: 5 },
      { key: 'acc', value: 0.1, timestamp: 11, step: 3 },
      { key: 'loss', value: 0.3, timestamp: 49, step: 5 },
    ];
    assert.equal((await api.post(`${R}/log-batch`, { run_id: id, metrics: points })).status, 200);
    const byKey = (metrics: { key: string }[]) => [...metrics].sort((a, b) => a.key.localeCompare(b.key));
    assert.deepEqual(byKey((await getRun(id)).data.metrics), [
      { key: 'acc', value: 0.1, timestamp: 11, step: 3 },
      { key: 'loss', value: 0.4, timestamp: 50, step: 5 },
    ]);
    // An older point logged later does not move it back; a newer one does.
    await api.post(`${R}/log-batch`, { run_id: id, metrics: [{ key: 'acc', value: 1, timestamp: 5, step: 1 }, { key: 'loss', value: 0.5, timestamp: 1, step: 6 }] });
    assert.deepEqual(byKey((await getRun(id)).data.metrics), [
      { key: 'acc', value: 0.1, timestamp: 11, step: 3 },
      { key: 'loss', value: 0.5, timestamp: 1, step: 6 },
    ]);
  });

  it('writes no point for a missing, deleted or malformed run, or a step beyond 64 bits', async () => {
    const metrics = [{ key: 'm', value: 1, timestamp: 1, step: 0 }];
    const missing = await api.post(`${R}/log-batch`, { run_id: 'f'.repeat(32), metrics });
    assert.deepEqual([missing.status, missing.json], [404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Run with id=${'f'.repeat(32)} not found` }]);
    const malformed = await api.post(`${R}/log-batch`, { run_id: 'F'.repeat(32), metrics });
    assert.equal(malformed.json.error_code, 'INVALID_PARAMETER_VALUE');

    const id = (await createRun()).info.run_id;
    await api.post(`${R}/delete`, { run_id: id });
    const deleted = await api.post(`${R}/log-batch`, { run_id: id, metrics });
    assert.equal(deleted.status, 400);
    assert.equal(deleted.json.message, `The run ${id} must be in the 'active' state. Current state is deleted.`);
    await api.post(`${R}/restore`, { run_id: id });
    const huge = await api.post(`${R}/log-batch`, { run_id: id, metrics: [...metrics, { key: 'm', value: 2, timestamp: 2, step: '100000000000000000000' }] });
    assert.equal(huge.status, 400);
    assert.match(huge.json.message, /^Got invalid step 100000000000000000000 for metric 'm' \(value=2\)\. Step must be a valid long/);
    assert.ok(!(await getRun(id)).data.metrics, 'nothing was written');
  });

  it('applies a log-batch all or nothing', async () => {
    const id = (await createRun()).info.run_id;
    await api.post(`${R}/log-parameter`, { run_id: id, key: 'p', value: 'one' });
    const res = await api.post(`${R}/log-batch`, {
      run_id: id,
      metrics: [{ key: 'm', value: 1, timestamp: 1, step: 0 }],
      params: [{ key: 'q', value: 'new' }, { key: 'p', value: 'two' }],
      tags: [{ key: 't', value: 'x' }],
    });
    assert.equal(res.status, 400);
    const run = await getRun(id);
    assert.deepEqual(run.data.params, [{ key: 'p', value: 'one' }], 'no new param');
    assert.ok(!run.data.metrics, 'no metric');
    assert.ok(!run.data.tags.some((t: { key: string }) => t.key === 't'), 'no tag');
  });

  it("enforces MLflow's batch limits and messages", async () => {
    const id = (await createRun()).info.run_id;
    const metrics = Array.from({ length: 1001 }, (_, i) => ({ key: 'm', value: i, timestamp: i, step: i }));
    const tooMany = await api.post(`${R}/log-batch`, { run_id: id, metrics });
    assert.match(tooMany.json.message, /^A batch logging request can contain at most 1000 metrics\. Got 1001 metrics\./);
    const params = Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: 'v' }));
    assert.match((await api.post(`${R}/log-batch`, { run_id: id, params })).json.message, /at most 100 params\. Got 101/);
    const dupes = await api.post(`${R}/log-batch`, { run_id: id, params: [{ key: 'd', value: '1' }, { key: 'd', value: '2' }] });
    assert.match(dupes.json.message, /^Duplicate parameter keys have been submitted: \['d'\]/);
    const missingTs = await api.post(`${R}/log-batch`, { run_id: id, metrics: [{ key: 'm', value: 1 }] });
    assert.match(missingTs.json.message, /^Missing value for required parameter 'metrics\[0\]\.timestamp'/);
    const badName = await api.post(`${R}/log-metric`, { run_id: id, key: 'bad*name', value: 1, timestamp: 1 });
    assert.match(badName.json.message, /^Invalid value "bad\*name" for parameter 'key' supplied: Names may only contain/);
  });

  it('refuses a log-batch body over 1 MB before reading it', async () => {
    const id = (await createRun()).info.run_id;
    const big = JSON.stringify({ run_id: id, tags: [{ key: 'big', value: 'x'.repeat(2_000_000) }] });
    const res = await api.post(`${R}/log-batch`, big);
    assert.equal(res.status, 413);
    assert.match(res.json.message, /^Batched logging API requests must be at most 1000000 bytes/);
  });

  it('truncates over-long param and tag values as MLflow 2.11+ does', async () => {
    const id = (await createRun()).info.run_id;
    await api.post(`${R}/log-batch`, { run_id: id, params: [{ key: 'long', value: 'p'.repeat(7000) }], tags: [{ key: 'long', value: 't'.repeat(9000) }] });
    const run = await getRun(id);
    assert.equal(run.data.params[0].value.length, 6000);
    assert.equal(run.data.tags.find((t: { key: string }) => t.key === 'long').value.length, 8000);
  });

  it('updates status, end time and name (name and tag in sync), and deletes tags', async () => {
    const id = (await createRun()).info.run_id;
    const res = await api.post(`${R}/update`, { run_uuid: id, status: 'FINISHED', end_time: 12345, run_name: 'renamed' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.run_info.status, 'FINISHED');
    assert.equal(res.json.run_info.end_time, 12345);
    assert.equal(res.json.run_info.run_name, 'renamed');
    await api.post(`${R}/set-tag`, { run_id: id, key: 'mlflow.runName', value: 'by-tag' });
    assert.equal((await getRun(id)).info.run_name, 'by-tag');
    await api.post(`${R}/set-tag`, { run_id: id, key: 'gone', value: '1' });
    assert.equal((await api.post(`${R}/delete-tag`, { run_id: id, key: 'gone' })).status, 200);
    assert.equal((await api.post(`${R}/delete-tag`, { run_id: id, key: 'gone' })).status, 404);
  });

  it('soft-deletes and restores runs; deleted runs refuse writes; experiments carry their runs along', async () => {
    const id = (await createRun()).info.run_id;
    await api.post(`${R}/delete`, { run_id: id });
    assert.equal((await getRun(id)).info.lifecycle_stage, 'deleted');
    const write = await api.post(`${R}/set-tag`, { run_id: id, key: 'k', value: 'v' });
    assert.equal(write.json.error_code, 'INVALID_PARAMETER_VALUE');
    await api.post(`${R}/restore`, { run_id: id });
    assert.equal((await getRun(id)).info.lifecycle_stage, 'active');

    const exp = (await api.post('/api/2.0/mlflow/experiments/create', { name: `cascade-${randomUUID()}` })).json.experiment_id;
    const inside = (await api.post(`${R}/create`, { experiment_id: exp })).json.run.info.run_id;
    await api.post('/api/2.0/mlflow/experiments/delete', { experiment_id: exp });
    assert.equal((await getRun(inside)).info.lifecycle_stage, 'deleted');
    await api.post('/api/2.0/mlflow/experiments/restore', { experiment_id: exp });
    assert.equal((await getRun(inside)).info.lifecycle_stage, 'active');
  });

  it('answers unknown and malformed run ids', async () => {
    assert.equal((await api.get(`${R}/get?run_id=${'0'.repeat(32)}`)).json.error_code, 'RESOURCE_DOES_NOT_EXIST');
    const malformed = await api.get(`${R}/get?run_id=../../etc`);
    assert.equal(malformed.status, 400);
    assert.equal((await api.get(`${R}/get`)).json.error_code, 'INVALID_PARAMETER_VALUE');
  });

  it('keeps the 2.x log-model history tag', async () => {
    const id = (await createRun()).info.run_id;
    const model = { artifact_path: 'model', flavors: { python_function: {} }, utc_time_created: '2026-01-01', run_id: id };
    assert.equal((await api.post(`${R}/log-model`, { run_id: id, model_json: JSON.stringify(model) })).status, 200);
    await api.post(`${R}/log-model`, { run_id: id, model_json: JSON.stringify({ ...model, artifact_path: 'model2' }) });
    const tag = (await getRun(id)).data.tags.find((t: { key: string }) => t.key === 'mlflow.log-model.history').value;
    const history = JSON.parse(tag);
    assert.deepEqual(history.map((m: { artifact_path: string }) => m.artifact_path), ['model', 'model2']);

    // Only Model.get_tags_dict()'s keys, each flavor without its config, in Python's json.dumps spelling.
    const full = {
      ...model,
      artifact_path: 'model3',
      model_uuid: 'u1',
      flavors: { sklearn: { sklearn_version: '1.5.0', config: { secret: 'x' } } },
      signature: { inputs: '[]' },
      mlflow_version: '2.22.5',
      metadata: { k: 'v' },
    };
    await api.post(`${R}/log-model`, { run_id: id, model_json: JSON.stringify(full) });
    const value = (await getRun(id)).data.tags.find((t: { key: string }) => t.key === 'mlflow.log-model.history').value as string;
    assert.ok(
      value.endsWith(
        `, {"run_id": "${id}", "artifact_path": "model3", "utc_time_created": "2026-01-01", "model_uuid": "u1", ` +
          '"flavors": {"sklearn": {"sklearn_version": "1.5.0"}}}]',
      ),
      value,
    );
    assert.deepEqual(JSON.parse(value)[0], { run_id: id, artifact_path: 'model', utc_time_created: '2026-01-01', model_uuid: null, flavors: { python_function: {} } });
    const bad = await api.post(`${R}/log-model`, { run_id: id, model_json: JSON.stringify({ flavors: {} }) });
    assert.match(bad.json.message, /missing mandatory fields/);
  });

  it('ties metrics logged with a model_id to that MLflow 3 logged model, all or nothing', async () => {
    const id = (await createRun()).info.run_id;
    const created = await api.post('/api/2.0/mlflow/logged-models', { experiment_id: experimentId, name: 'clf', source_run_id: id });
    assert.equal(created.status, 200, created.text);
    const modelId = created.json.model.info.model_id;
    const logged = await api.post(`${R}/log-batch`, {
      run_id: id,
      metrics: [{ key: 'acc', value: 0.9, timestamp: 5, step: 1, model_id: modelId, dataset_name: 'eval', dataset_digest: 'abc' }],
    });
    assert.equal(logged.status, 200, logged.text);
    const model = (await api.get(`/api/2.0/mlflow/logged-models/${modelId}`)).json.model;
    assert.deepEqual(
      model.data.metrics.map((m: { key: string; value: number; dataset_name: string }) => [m.key, m.value, m.dataset_name]),
      [['acc', 0.9, 'eval']],
    );
    const unknown = await api.post(`${R}/log-metric`, { run_id: id, key: 'loss', value: 1, timestamp: 6, model_id: 'm-0000' });
    assert.equal(unknown.status, 404);
    assert.ok(!(await getRun(id)).data.metrics.some((m: { key: string }) => m.key === 'loss'), 'the run point was rolled back too');
  });

  it('never loses a point or deadlocks when eight writers log to one run at once, keys and points overlapping', async () => {
    const id = (await createRun()).info.run_id;
    type P = { key: string; value: number; timestamp: number; step: number };
    // Each writer: 200 points of its own over five shared keys, and the same 50 points of 'shared'
    // as every other writer, in its own order (a re-sent point is stored once).
    const own = (w: number): P[] => Array.from({ length: 200 }, (_, i) => ({ key: `k${(i + w) % 5}`, value: w, timestamp: i, step: w * 1000 + i }));
    const shared: P[] = Array.from({ length: 50 }, (_, i) => ({ key: 'shared', value: i / 2, timestamp: 7, step: i }));
    const order = (w: number, points: P[]) => (w % 2 ? [...points].reverse() : [...points.slice(w * 5), ...points.slice(0, w * 5)]);
    for (let round = 0; round < 3; round++) {
      const writers = Array.from({ length: 8 }, (_, w) =>
        api.post(`${R}/log-batch`, { run_id: id, metrics: order(w, [...own(w).map((p) => ({ ...p, timestamp: p.timestamp + round * 1000 })), ...shared]) }),
      );
      const results = await Promise.all(writers);
      assert.ok(results.every((r) => r.status === 200), results.map((r) => r.text).join('\n'));
    }
    const expected = new Map<string, string[]>();
    for (let round = 0; round < 3; round++) {
      for (let w = 0; w < 8; w++) for (const p of own(w)) expected.set(p.key, [...(expected.get(p.key) ?? []), `${p.timestamp + round * 1000}/${p.step}/${p.value}`]);
    }
    expected.set('shared', shared.map((p) => `${p.timestamp}/${p.step}/${p.value}`));
    for (const [key, points] of expected) {
      const history = await api.get(`/api/2.0/mlflow/metrics/get-history?run_id=${id}&metric_key=${key}`);
      const got = (history.json.metrics as P[]).map((p) => `${p.timestamp}/${p.step}/${p.value}`);
      assert.deepEqual(got.sort(), [...points].sort(), key);
    }
    // The latest value per key, and the series summaries the charts read, saw every writer.
    const latest = (await getRun(id)).data.metrics as P[];
    assert.deepEqual(latest.find((m) => m.key === 'shared'), { key: 'shared', value: 24.5, timestamp: 7, step: 49 });
    assert.equal(latest.find((m) => m.key === 'k0')?.step, 7000 + 198);
    const chart = await api.get(`/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval?run_ids=${id}&metric_key=shared&max_results=10`);
    assert.deepEqual(chart.json.metrics.map((m: P) => m.step), [0, 5, 10, 15, 20, 25, 30, 35, 40, 49]);
    const k0 = await api.get(`/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval?run_ids=${id}&metric_key=k0&max_results=2500`);
    assert.equal(k0.json.metrics.length, 3 * 8 * 40);
  });
});
