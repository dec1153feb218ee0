import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Pool } from 'pg';
import type { ArtifactStore } from '@cairn/artifact-svc';
import { createArtifactStore } from '@cairn/artifact-svc';
import type { TestDatabase } from '@cairn/testing';
import { createTestDatabase, httpClient } from '@cairn/testing';
import type { TestServer } from '../all-in-one/test-server';
import { startTestServer } from '../all-in-one/test-server';
import { collectGarbage, parseAge } from './gc.command';

const DAY = 86_400_000;

describe('parseAge (--older-than)', () => {
  it("reads MLflow's duration grammar", () => {
    assert.equal(parseAge('30d'), 30 * DAY);
    assert.equal(parseAge('2d8h5m20s'), 2 * DAY + 8 * 3_600_000 + 5 * 60_000 + 20_000);
    assert.equal(parseAge('1.5h'), 5_400_000);
    for (const bad of ['', '30', '5w', 'd', '1d2d', '-1d']) assert.throws(() => parseAge(bad), /duration/, bad);
  });
});

// `cairn gc` against a real PostgreSQL and a real disk store, with data made through the API.
describe('cairn gc (real PostgreSQL, disk store)', () => {
  let database: TestDatabase;
  let server: TestServer;
  let pool: Pool;
  let store: ArtifactStore;
  let artifactsRoot: string;
  let api: ReturnType<typeof httpClient>;
  const lines: string[] = [];

  const experiment = async () => (await api.post('/api/2.0/mlflow/experiments/create', { name: `gc-${randomUUID()}` })).json.experiment_id as string;
  const runWithArtifact = async (experimentId: string) => {
    const run = (await api.post('/api/2.0/mlflow/runs/create', { experiment_id: experimentId })).json.run.info;
    const key = `${run.artifact_uri.replace('mlflow-artifacts:/', '')}/model/MLmodel`;
    assert.equal((await fetch(`${server.url}/api/2.0/mlflow-artifacts/artifacts/${key}`, { method: 'PUT', body: 'x' })).status, 200);
    const metrics = [0, 1, 2].map((step) => ({ key: 'loss', value: 1 / (step + 1), timestamp: 1000 + step, step }));
    assert.equal((await api.post('/api/2.0/mlflow/runs/log-batch', { run_id: run.run_id, metrics })).status, 200);
    const pk = (await pool.query<{ run_id: string }>('SELECT run_id FROM tracking.runs WHERE run_uuid = $1', [run.run_id])).rows[0]!.run_id;
    return { id: run.run_id as string, pk, dir: path.join(artifactsRoot, path.dirname(path.dirname(key))) };
  };
  const rowExists = async (sql: string, id: string) => (await pool.query(sql, [id])).rowCount === 1;
  const runExists = (id: string) => rowExists('SELECT 1 FROM tracking.runs WHERE run_uuid = $1', id);
  /** A run's points, latest values and series summaries, by its internal id (gone with the run). */
  const metricRows = async (pk: string) =>
    (await pool.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM tracking.metrics WHERE run_id = $1) + (SELECT count(*) FROM tracking.latest_metrics WHERE run_id = $1)
            + (SELECT count(*) FROM tracking.metric_series WHERE run_id = $1) AS n`,
      [pk],
    )).rows[0]!.n;
  const experimentExists = (id: string) => rowExists('SELECT 1 FROM tracking.experiments WHERE experiment_id = $1', id);
  const age = (table: 'runs' | 'experiments', column: string, id: string, days: number) =>
    pool.query(`UPDATE tracking.${table} SET deleted_time = $2 WHERE ${column} = $1`, [id, Date.now() - days * DAY]);

  before(async () => {
    database = await createTestDatabase();
    artifactsRoot = await mkdtemp(path.join(tmpdir(), 'cairn-gc-'));
    server = await startTestServer({ databaseUrl: database.url, artifacts: { kind: 'file', root: artifactsRoot } });
    api = httpClient(server.url);
    pool = new Pool({ connectionString: database.url, max: 2 });
    store = createArtifactStore({ kind: 'file', root: artifactsRoot });
  });
  after(async () => {
    await pool.end();
    await store.close();
    await server.stop();
    await database.drop();
    await rm(artifactsRoot, { recursive: true, force: true });
  });

  it('lists with --dry-run, then removes old soft-deleted runs and experiments with their artifacts, and nothing else', async () => {
    const gone = await experiment();
    const goneRuns = [await runWithArtifact(gone), await runWithArtifact(gone)];
    const model = (await api.post('/api/2.0/mlflow/logged-models', { experiment_id: gone, name: 'm' })).json.model.info;
    const modelKey = `${model.artifact_uri.replace('mlflow-artifacts:/', '')}/MLmodel`;
    await fetch(`${server.url}/api/2.0/mlflow-artifacts/artifacts/${modelKey}`, { method: 'PUT', body: 'm' });
    await api.post('/api/2.0/mlflow/experiments/delete', { experiment_id: gone });
    await age('experiments', 'experiment_id', gone, 40);

    const kept = await experiment();
    const oldRun = await runWithArtifact(kept);
    const recentRun = await runWithArtifact(kept);
    const activeRun = await runWithArtifact(kept);
    for (const run of [oldRun, recentRun]) await api.post('/api/2.0/mlflow/runs/delete', { run_id: run.id });
    await age('runs', 'run_uuid', oldRun.id, 31);
    const recentlyDeleted = await experiment();
    await api.post('/api/2.0/mlflow/experiments/delete', { experiment_id: recentlyDeleted });

    const cutoff = Date.now() - parseAge('30d');
    const dry = await collectGarbage(pool, store, { cutoff, dryRun: true }, (line) => lines.push(line));
    assert.deepEqual(new Set(dry.runs), new Set([...goneRuns.map((r) => r.id), oldRun.id]));
    assert.deepEqual(dry.experiments, [gone]);
    assert.deepEqual(dry.loggedModels, [model.model_id]);
    assert.ok(lines.every((line) => line.startsWith('Would delete')));
    assert.ok(await runExists(oldRun.id));
    assert.ok(existsSync(oldRun.dir) && existsSync(path.join(artifactsRoot, modelKey)));

    const done = await collectGarbage(pool, store, { cutoff, dryRun: false }, (line) => lines.push(line));
    assert.deepEqual(done, dry);
    for (const run of [...goneRuns, oldRun]) {
      assert.equal(await runExists(run.id), false);
      assert.equal(existsSync(run.dir), false, run.dir);
      assert.equal(Number(await metricRows(run.pk)), 0, `metrics of run ${run.id}`);
    }
    assert.equal(await experimentExists(gone), false);
    assert.equal(existsSync(path.join(artifactsRoot, modelKey)), false);
    assert.ok(lines.some((line) => line === `Deleted run ${oldRun.id} (experiment ${kept}) and its artifacts (${kept}/${oldRun.id}/artifacts)`));

    for (const run of [recentRun, activeRun]) {
      assert.ok(await runExists(run.id));
      assert.ok(existsSync(run.dir));
      assert.equal(Number(await metricRows(run.pk)), 3 + 1 + 1);
    }
    assert.ok(await experimentExists(kept));
    assert.ok(await experimentExists(recentlyDeleted));
    assert.equal((await api.get(`/api/2.0/mlflow/runs/get?run_id=${oldRun.id}`)).status, 404);

    const again = await collectGarbage(pool, store, { cutoff, dryRun: false }, () => undefined);
    assert.deepEqual(again, { runs: [], experiments: [], loggedModels: [] });
  });

  it('never removes the default experiment, and leaves artifacts it does not serve alone', async () => {
    await pool.query(`UPDATE tracking.experiments SET lifecycle_stage = 'deleted', deleted_time = 1 WHERE experiment_id = 0`);
    const outside = (await api.post('/api/2.0/mlflow/experiments/create', { name: `s3-${randomUUID()}`, artifact_location: 's3://elsewhere/x' })).json.experiment_id;
    const run = (await api.post('/api/2.0/mlflow/runs/create', { experiment_id: outside })).json.run.info;
    await api.post('/api/2.0/mlflow/runs/delete', { run_id: run.run_id });
    await age('runs', 'run_uuid', run.run_id, 100);
    const printed: string[] = [];
    const report = await collectGarbage(pool, store, { cutoff: Date.now() - DAY, dryRun: false }, (line) => printed.push(line));
    assert.deepEqual(report.experiments, []);
    assert.deepEqual(report.runs, [run.run_id]);
    assert.match(printed[0] ?? '', /not its artifacts at s3:\/\/elsewhere\/x\/.+ \(not in Cairn's artifact store; remove them there\)/);
    assert.ok(await experimentExists('0'));
    await pool.query(`UPDATE tracking.experiments SET lifecycle_stage = 'active', deleted_time = NULL WHERE experiment_id = 0`);
  });
});
