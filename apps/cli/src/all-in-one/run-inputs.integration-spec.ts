import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { randomUUID } from 'node:crypto';
import { httpClient } from '@cairn/testing';
import type { TestServer } from './test-server';
import { startTestServer } from './test-server';

// What runs consume and produce (log-inputs, runs/outputs) and the UI's search-datasets, through
// the whole all-in-one stack on real PostgreSQL.
describe('MLflow run inputs and outputs (all-in-one, real PostgreSQL)', () => {
  let server: TestServer;
  let api: ReturnType<typeof httpClient>;
  const R = '/api/2.0/mlflow/runs';

  const dataset = (name: string, digest = 'd1', extra: Record<string, unknown> = {}) => ({
    name,
    digest,
    source_type: 'local',
    source: '{"uri": "/data/train.csv"}',
    ...extra,
  });
  const context = (value: string) => [{ key: 'mlflow.data.context', value }];
  const createExperiment = async () =>
    (await api.post('/api/2.0/mlflow/experiments/create', { name: `inputs-${randomUUID()}` })).json.experiment_id as string;
  const createRun = async (experimentId: string) => {
    const res = await api.post(`${R}/create`, { experiment_id: experimentId, start_time: Date.now() });
    assert.equal(res.status, 200, res.text);
    return res.json.run.info.run_id as string;
  };
  const createModel = async (experimentId: string) =>
    (await api.post('/api/2.0/mlflow/logged-models', { experiment_id: experimentId })).json.model.info.model_id as string;
  const getRun = async (runId: string) => (await api.get(`${R}/get?run_id=${runId}`)).json.run;
  const logInputs = (body: Record<string, unknown>) => api.post(`${R}/log-inputs`, body);
  const searchDatasets = (experimentIds: string[]) =>
    api.post('/ajax-api/2.0/mlflow/experiments/search-datasets', { experiment_ids: experimentIds });

  before(async () => {
    server = await startTestServer({ maxRequestBytes: 4 * 1024 * 1024 }); // room for a schema past MLflow's limit
    api = httpClient(server.url);
  });
  after(() => server.stop());

  it('logs datasets with their input tags, shown on the run in MLflow JSON', async () => {
    const runId = await createRun(await createExperiment());
    const res = await logInputs({
      run_id: runId,
      datasets: [{ tags: context('training'), dataset: dataset('train', 'abc', { schema: '{"cols": []}', profile: '{"rows": 3}' }) }],
    });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, {});
    const run = await getRun(runId);
    assert.deepEqual(run.inputs.dataset_inputs, [
      {
        tags: context('training'),
        dataset: {
          name: 'train',
          digest: 'abc',
          source_type: 'local',
          source: '{"uri": "/data/train.csv"}',
          schema: '{"cols": []}',
          profile: '{"rows": 3}',
        },
      },
    ]);
  });

  it('keeps one dataset per (name, digest) in an experiment and the first tags of a run input', async () => {
    const experimentId = await createExperiment();
    const [a, b] = [await createRun(experimentId), await createRun(experimentId)];
    await logInputs({
      run_id: a,
      datasets: [
        { tags: context('training'), dataset: dataset('train') },
        { tags: context('ignored, same name and digest'), dataset: dataset('train') },
        { dataset: dataset('train', 'd2') },
      ],
    });
    await logInputs({ run_id: a, datasets: [{ tags: context('eval'), dataset: dataset('train') }] });
    await logInputs({ run_id: b, datasets: [{ tags: context('eval'), dataset: dataset('train', 'd1', { source: 'other' }) }] });

    const inputsOf = async (runId: string) =>
      (await getRun(runId)).inputs.dataset_inputs.map((i: any) => [i.dataset.name, i.dataset.digest, i.dataset.source, i.tags]);
    assert.deepEqual(await inputsOf(a), [
      ['train', 'd1', '{"uri": "/data/train.csv"}', context('training')],
      ['train', 'd2', '{"uri": "/data/train.csv"}', undefined],
    ]);
    // Run b reuses the experiment's dataset: the first source logged for (train, d1) stays.
    assert.deepEqual(await inputsOf(b), [['train', 'd1', '{"uri": "/data/train.csv"}', context('eval')]]);

    const { json } = await searchDatasets([experimentId]);
    assert.deepEqual(json.dataset_summaries, [
      { experiment_id: experimentId, name: 'train', digest: 'd1', context: 'eval' },
      { experiment_id: experimentId, name: 'train', digest: 'd1', context: 'training' },
      { experiment_id: experimentId, name: 'train', digest: 'd2' },
    ]);
  });

  it("checks MLflow's dataset limits and required fields before writing anything", async () => {
    const runId = await createRun(await createExperiment());
    const cases: [Record<string, unknown>, string][] = [
      [{ dataset: dataset('n'.repeat(501)) }, "'name' exceeds the maximum length of 500 characters"],
      [{ dataset: dataset('train', 'x'.repeat(37)) }, "'digest' exceeds the maximum length of 36 characters"],
      [{ dataset: dataset('train', 'd', { schema: 's'.repeat(1_048_576) }) }, "'schema' exceeds the maximum length of 1048575 characters"],
      [{ tags: [{ key: 'k'.repeat(256), value: 'v' }], dataset: dataset('train') }, "'key' exceeds the maximum length of 255 characters"],
      [{ tags: [{ key: 'k', value: 'v'.repeat(501) }], dataset: dataset('train') }, "'value' exceeds the maximum length of 500 characters"],
    ];
    for (const [input, message] of cases) {
      const res = await logInputs({ run_id: runId, datasets: [input, { dataset: dataset('valid') }] });
      assert.equal(res.status, 400, message);
      assert.deepEqual(res.json, { error_code: 'INVALID_PARAMETER_VALUE', message });
    }
    const missing = await logInputs({ run_id: runId, datasets: [{ dataset: { name: 'x', digest: 'd', source_type: 'local' } }] });
    assert.equal(missing.json.error_code, 'INVALID_PARAMETER_VALUE');
    assert.match(missing.json.message, /Missing value for required parameter 'datasets\[0\]\.dataset\.source'/);
    assert.match((await logInputs({ datasets: [] })).json.message, /Missing value for required parameter 'run_id'/);
    assert.equal((await getRun(runId)).inputs.dataset_inputs, undefined);
  });

  it("answers MLflow's errors for unknown and deleted runs", async () => {
    const unknown = await logInputs({ run_id: 'f'.repeat(32), datasets: [{ dataset: dataset('train') }] });
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.json, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Run with id=${'f'.repeat(32)} not found` });

    const runId = await createRun(await createExperiment());
    await api.post(`${R}/delete`, { run_id: runId });
    for (const res of [
      await logInputs({ run_id: runId, datasets: [{ dataset: dataset('train') }] }),
      await api.post(`${R}/outputs`, { run_id: runId, models: [{ model_id: 'm-0', step: 0 }] }),
    ]) {
      assert.equal(res.status, 400);
      assert.deepEqual(res.json, {
        error_code: 'INVALID_PARAMETER_VALUE',
        message: `The run ${runId} must be in the 'active' state. Current state is deleted.`,
      });
    }
  });

  it('links logged models as run inputs and outputs (runs/outputs), once each', async () => {
    const experimentId = await createExperiment();
    const runId = await createRun(experimentId);
    const [m1, m2] = [await createModel(experimentId), await createModel(experimentId)];
    assert.equal((await logInputs({ run_id: runId, models: [{ model_id: m1 }, { model_id: m1 }] })).status, 200);
    const out = await api.post(`${R}/outputs`, { run_id: runId, models: [{ model_id: m2, step: 3 }] });
    assert.equal(out.status, 200, out.text);
    assert.deepEqual(out.json, {});
    await api.post(`${R}/outputs`, { run_id: runId, models: [{ model_id: m2, step: 3 }, { model_id: m1 }] });
    const run = await getRun(runId);
    assert.deepEqual(run.inputs.model_inputs, [{ model_id: m1 }]);
    assert.deepEqual(run.outputs.model_outputs, [
      { model_id: m1, step: 0 },
      { model_id: m2, step: 3 },
    ]);

    const unknown = await api.post(`${R}/outputs`, { run_id: runId, models: [{ model_id: 'm-nope', step: 0 }] });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.message, "Logged model with ID 'm-nope' not found.");
    assert.match((await api.post(`${R}/outputs`, { run_id: runId })).json.message, /Missing value for required parameter 'models'/);
  });

  it('search-datasets needs 1 to 20 experiment ids and sees only their datasets', async () => {
    const [e1, e2] = [await createExperiment(), await createExperiment()];
    await logInputs({ run_id: await createRun(e1), datasets: [{ dataset: dataset('one') }] });
    await logInputs({ run_id: await createRun(e2), datasets: [{ tags: context('test'), dataset: dataset('two', 'd9') }] });
    assert.deepEqual((await searchDatasets([e2])).json, {
      dataset_summaries: [{ experiment_id: e2, name: 'two', digest: 'd9', context: 'test' }],
    });
    assert.equal((await searchDatasets([e1, e2])).json.dataset_summaries.length, 2);
    assert.deepEqual((await searchDatasets(['123456789'])).json, {});

    const none = await searchDatasets([]);
    assert.deepEqual(none.json, {
      error_code: 'INVALID_PARAMETER_VALUE',
      message: 'SearchDatasets request must specify at least one experiment_id.',
    });
    const many = await searchDatasets(Array.from({ length: 21 }, (_, i) => String(i)));
    assert.equal(many.json.message, 'SearchDatasets request cannot specify more than 20 experiment_ids. Received 21 experiment_ids.');
    assert.equal((await api.post('/api/2.0/mlflow/experiments/search-datasets', { experiment_ids: [e1] })).status, 200);
  });
});
