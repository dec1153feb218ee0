import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { httpClient } from '@cairn/testing';
import type { TestServer } from './test-server';
import { startTestServer } from './test-server';

// MLflow 3 logged models (what `log_model` creates, finalizes and tags) through the whole
// all-in-one stack on real PostgreSQL.
describe('MLflow logged models API (all-in-one, real PostgreSQL)', () => {
  let server: TestServer;
  let api: ReturnType<typeof httpClient>;
  let db: Pool;
  const M = '/api/2.0/mlflow/logged-models';

  const createExperiment = async () =>
    (await api.post('/api/2.0/mlflow/experiments/create', { name: `models-${randomUUID()}` })).json.experiment_id as string;
  const createModel = async (body: Record<string, unknown>) => {
    const res = await api.post(M, body);
    assert.equal(res.status, 200, res.text);
    await new Promise((resolve) => setTimeout(resolve, 2)); // distinct creation times: the default order is newest first
    return res.json.model;
  };
  const search = (body: Record<string, unknown>) => api.post(`${M}/search`, body);
  const names = (res: { json: any }) => (res.json.models ?? []).map((m: any) => m.info.name);
  /** Metric points of a model, arranged in SQL (log-metric with a model_id is tested in tracking-svc/logged-models). */
  const addMetric = async (modelId: string, runId: string, key: string, value: number, timestamp: number, dataset = '') => {
    await db.query(
      `INSERT INTO tracking.logged_model_metrics (model_id, key, timestamp, step, value, run_id, dataset_name)
       SELECT $1, $2, $4, 0, $3, r.run_id, $6 FROM tracking.runs r WHERE r.run_uuid = $5`,
      [modelId, key, value, timestamp, runId, dataset],
    );
  };

  before(async () => {
    server = await startTestServer();
    api = httpClient(server.url);
    db = new Pool({ connectionString: server.databaseUrl, max: 2 });
  });
  after(async () => {
    await db.end();
    await server.stop();
  });

  it("creates a PENDING model with an m-<32 hex> id under the experiment's artifact location", async () => {
    const experimentId = await createExperiment();
    const model = await createModel({
      experiment_id: experimentId,
      name: 'clf',
      model_type: 'Classifier',
      source_run_id: 'a'.repeat(32),
      params: [{ key: 'alpha', value: '0.5' }],
      tags: [{ key: 'team', value: 'ml' }],
    });
    const id = model.info.model_id;
    assert.match(id, /^m-[0-9a-f]{32}$/);
    assert.deepEqual(model, {
      info: {
        model_id: id,
        experiment_id: experimentId,
        name: 'clf',
        creation_timestamp_ms: model.info.creation_timestamp_ms,
        last_updated_timestamp_ms: model.info.creation_timestamp_ms,
        artifact_uri: `mlflow-artifacts:/${experimentId}/models/${id}/artifacts`,
        status: 'LOGGED_MODEL_PENDING',
        model_type: 'Classifier',
        source_run_id: 'a'.repeat(32),
        tags: [{ key: 'team', value: 'ml' }],
      },
      data: { params: [{ key: 'alpha', value: '0.5' }] },
    });
    assert.deepEqual((await api.get(`${M}/${id}`)).json, { model });
    const unnamed = await createModel({ experiment_id: experimentId });
    assert.match(unnamed.info.name, /^[a-z]+-[a-z]+-\d{1,3}$/);
  });

  it("refuses bad names, unknown and deleted experiments with MLflow's errors", async () => {
    const experimentId = await createExperiment();
    const bad = await api.post(M, { experiment_id: experimentId, name: 'a/b' });
    assert.equal(bad.status, 400);
    assert.match(bad.json.message, /^Invalid model name \('a\/b'\) provided\./);
    assert.match((await api.post(M, {})).json.message, /Missing value for required parameter 'experiment_id'/);
    const unknown = await api.post(M, { experiment_id: '987654321' });
    assert.deepEqual(unknown.json, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'No Experiment with id=987654321 exists' });
    await api.post('/api/2.0/mlflow/experiments/delete', { experiment_id: experimentId });
    const deleted = await api.post(M, { experiment_id: experimentId });
    assert.deepEqual(deleted.json, {
      error_code: 'INVALID_PARAMETER_VALUE',
      message: `The experiment ${experimentId} must be in the 'active' state. Current state is deleted.`,
    });
  });

  it('finalizes, tags, logs params and deletes the way log_model does', async () => {
    const experimentId = await createExperiment();
    const id = (await createModel({ experiment_id: experimentId, name: 'm' })).info.model_id;

    const ready = await api.send('PATCH', `${M}/${id}`, { model_id: id, status: 'LOGGED_MODEL_READY' });
    assert.equal(ready.status, 200, ready.text);
    assert.equal(ready.json.model.info.status, 'LOGGED_MODEL_READY');
    assert.equal((await api.send('PATCH', `${M}/${id}`, { status: 3 })).json.model.info.status, 'LOGGED_MODEL_UPLOAD_FAILED');
    assert.equal((await api.send('PATCH', `${M}/${id}`, { status: 'LOGGED_MODEL_PENDING' })).status, 400);
    assert.match((await api.send('PATCH', `${M}/${id}`, {})).json.message, /Missing value for required parameter 'status'/);

    const versions = JSON.stringify([{ name: 'reg', version: '1' }]);
    const tagged = await api.send('PATCH', `${M}/${id}/tags`, { tags: [{ key: 'mlflow.modelVersions', value: versions }, { key: 'a', value: '1' }] });
    assert.equal(tagged.status, 200, tagged.text);
    await api.send('PATCH', `${M}/${id}/tags`, { tags: [{ key: 'a', value: '2' }] });
    assert.deepEqual((await api.get(`${M}/${id}`)).json.model.info.tags, [
      { key: 'a', value: '2' },
      { key: 'mlflow.modelVersions', value: versions },
    ]);
    assert.deepEqual((await api.send('DELETE', `${M}/${id}/tags/a`)).json, {});
    const gone = await api.send('DELETE', `${M}/${id}/tags/a`);
    assert.equal(gone.status, 404);
    assert.equal(gone.json.message, `No tag with key 'a' found for model with ID '${id}'.`);

    assert.equal((await api.post(`${M}/${id}/params`, { params: [{ key: 'lr', value: '0.1' }] })).status, 200);
    assert.equal((await api.post(`${M}/${id}/params`, { params: [{ key: 'lr', value: '0.1' }] })).status, 200);
    const changed = await api.post(`${M}/${id}/params`, { params: [{ key: 'lr', value: '0.2' }] });
    assert.equal(changed.status, 400);
    assert.match(changed.json.message, /^Changing param values is not allowed\. Param with key='lr'/);
    assert.deepEqual((await api.get(`${M}/${id}`)).json.model.data.params, [{ key: 'lr', value: '0.1' }]);

    assert.deepEqual((await api.send('DELETE', `${M}/${id}`, { model_id: id })).json, {});
    const missing = await api.get(`${M}/${id}`);
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.json, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Logged model with ID '${id}' not found.` });
    assert.equal((await api.get(`${M}/${id}?allow_deleted=true`)).json.model.info.model_id, id);
    assert.equal((await search({ experiment_ids: [experimentId] })).json.models, undefined);
    for (const res of [
      await api.send('PATCH', `${M}/m-unknown`, { status: 'LOGGED_MODEL_READY' }),
      await api.send('PATCH', `${M}/m-unknown/tags`, { tags: [] }),
      await api.post(`${M}/m-unknown/params`, {}),
      await api.send('DELETE', `${M}/m-unknown`),
    ]) {
      assert.deepEqual(res.json, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: "Logged model with ID 'm-unknown' not found." });
    }
  });

  it('searches by attributes, params and tags, newest first by default', async () => {
    const experimentId = await createExperiment();
    const other = await createExperiment();
    await createModel({ experiment_id: experimentId, name: 'alpha', model_type: 'LLM', params: [{ key: 'lr', value: '0.1' }] });
    await createModel({ experiment_id: experimentId, name: 'beta', tags: [{ key: 'stage', value: 'prod' }] });
    const gamma = await createModel({ experiment_id: experimentId, name: 'gamma', params: [{ key: 'lr', value: '0.2' }] });
    await createModel({ experiment_id: other, name: 'delta' });
    await api.send('PATCH', `${M}/${gamma.info.model_id}`, { status: 'LOGGED_MODEL_READY' });
    const ids = [experimentId];

    assert.deepEqual(names(await search({ experiment_ids: ids })), ['gamma', 'beta', 'alpha']);
    assert.deepEqual(names(await search({ experiment_ids: [experimentId, other], order_by: [{ field_name: 'name' }] })), [
      'alpha', 'beta', 'delta', 'gamma',
    ]);
    assert.deepEqual(names(await search({ experiment_ids: ids, order_by: [{ field_name: 'name', ascending: false }] })), ['gamma', 'beta', 'alpha']);
    const filters: [string, string[]][] = [
      ["name = 'beta'", ['beta']],
      ["name LIKE '%a' AND model_type = 'LLM'", ['alpha']],
      ["params.lr = '0.2'", ['gamma']],
      ['params.lr = 0.1', ['alpha']],
      ["tags.stage != 'dev'", ['beta']],
      ["attributes.status = 'LOGGED_MODEL_READY'", ['gamma']],
      ["status = 'PENDING'", ['beta', 'alpha']],
      [`creation_timestamp > ${gamma.info.creation_timestamp_ms}`, []],
      [`creation_time <= ${gamma.info.creation_timestamp_ms}`, ['gamma', 'beta', 'alpha']],
      [`model_id = '${gamma.info.model_id}'`, ['gamma']],
    ];
    for (const [filter, expected] of filters) assert.deepEqual(names(await search({ experiment_ids: ids, filter })), expected, filter);

    const errors: [Record<string, unknown>, RegExp][] = [
      [{ filter: "name > 'a'" }, /^Invalid comparison operator for attributes\.name: '>'/],
      [{ filter: 'metrics.acc LIKE 1' }, /^Invalid comparison operator for metrics\.acc: 'LIKE'/],
      [{ filter: "nope = 'x'" }, /^Invalid attribute key 'nope' specified/],
      [{ filter: "name = 'a' OR name = 'b'" }, /Invalid clause\(s\) in filter string/],
      [{ order_by: [{ field_name: 'params.lr' }] }, /^Invalid order by field name: params\.lr\. Only metrics are supported\.$/],
      [{ order_by: [{ field_name: 'nope' }] }, /^Invalid order by field name: nope$/],
      [{ datasets: [{ dataset_digest: 'd' }] }, /^`dataset_name` in the `datasets` clause must be specified\.$/],
      [{ max_results: -1 }, /max_results/],
    ];
    for (const [body, message] of errors) {
      const res = await search({ experiment_ids: ids, ...body });
      assert.equal(res.json.error_code, 'INVALID_PARAMETER_VALUE', JSON.stringify(body));
      assert.match(res.json.message, message);
    }
    assert.match((await search({})).json.message, /Missing value for required parameter 'experiment_ids'/);
  });

  it('pages with a token that is only valid for the same search', async () => {
    const experimentId = await createExperiment();
    for (const name of ['a', 'b', 'c', 'd', 'e']) await createModel({ experiment_id: experimentId, name });
    const body = { experiment_ids: [experimentId], order_by: [{ field_name: 'name', ascending: true }], max_results: 2 };
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const res = await search({ ...body, page_token: token });
      assert.equal(res.status, 200, res.text);
      seen.push(...names(res));
      token = res.json.next_page_token;
    } while (token);
    assert.deepEqual(seen, ['a', 'b', 'c', 'd', 'e']);

    const first = await search(body);
    const decoded = JSON.parse(Buffer.from(first.json.next_page_token, 'base64').toString());
    assert.deepEqual(decoded, {
      experiment_ids: [experimentId],
      filter_string: null,
      order_by: [{ field_name: 'name', ascending: true, dataset_name: null, dataset_digest: null }],
      offset: 2,
    });
    const otherFilter = await search({ ...body, filter: "name != 'x'", page_token: first.json.next_page_token });
    assert.equal(otherFilter.json.error_code, 'INVALID_PARAMETER_VALUE');
    assert.match(otherFilter.json.message, /^Filter string in the page token does not match the requested filter string\. Expected: name != 'x'\. Found: None$/);
    const otherOrder = await search({ ...body, order_by: [], page_token: first.json.next_page_token });
    assert.match(otherOrder.json.message, /^Order by in the page token does not match the requested order by\. Expected: None\. Found: \[\{'field_name': 'name', 'ascending': True/);
    const garbage = await search({ ...body, page_token: 'not a token' });
    assert.match(garbage.json.message, /^Invalid page token/);
  });

  it('returns metric points as model data, filters on any point and orders by the latest one per dataset', async () => {
    const experimentId = await createExperiment();
    const runId = (await api.post('/api/2.0/mlflow/runs/create', { experiment_id: experimentId })).json.run.info.run_id;
    const [a, b, c] = [
      await createModel({ experiment_id: experimentId, name: 'a' }),
      await createModel({ experiment_id: experimentId, name: 'b' }),
      await createModel({ experiment_id: experimentId, name: 'c' }),
    ].map((m) => m.info.model_id as string) as [string, string, string];
    await addMetric(a, runId, 'acc', 0.9, 1, 'test');
    await addMetric(a, runId, 'acc', 0.5, 2, 'test');
    await addMetric(b, runId, 'acc', 0.7, 1, 'test');
    await addMetric(b, runId, 'acc', 0.95, 1, 'train');
    await addMetric(c, runId, 'loss', Number.NaN, 1);

    const model = (await api.get(`${M}/${a}`)).json.model;
    assert.deepEqual(model.data.metrics, [
      { key: 'acc', value: 0.9, timestamp: 1, step: 0, dataset_name: 'test', model_id: a, run_id: runId },
      { key: 'acc', value: 0.5, timestamp: 2, step: 0, dataset_name: 'test', model_id: a, run_id: runId },
    ]);
    assert.equal((await api.get(`${M}/${c}`)).json.model.data.metrics[0].value, 'NaN');

    const ids = [experimentId];
    assert.deepEqual(names(await search({ experiment_ids: ids, filter: 'metrics.acc > 0.8' })), ['b', 'a']);
    assert.deepEqual(names(await search({ experiment_ids: ids, filter: 'metrics.acc > 0.8', datasets: [{ dataset_name: 'test' }] })), ['a']);
    assert.deepEqual(names(await search({ experiment_ids: ids, datasets: [{ dataset_name: 'train' }] })), ['b']);
    assert.deepEqual(names(await search({ experiment_ids: ids, filter: 'metrics.loss > 0' })), []);
    assert.deepEqual(names(await search({ experiment_ids: ids, order_by: [{ field_name: 'metrics.acc', ascending: false }] })), ['b', 'a', 'c']);
    assert.deepEqual(
      names(await search({ experiment_ids: ids, order_by: [{ field_name: 'metrics.acc', ascending: false, dataset_name: 'test' }] })),
      ['b', 'a', 'c'],
    );
    assert.deepEqual(names(await search({ experiment_ids: ids, order_by: [{ field_name: 'metrics.acc', ascending: true }] })), ['a', 'b', 'c']);
  });
});
