import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Pool } from 'pg';
import { httpClient } from '@cairn/testing';
import type { TestServer } from './test-server';
import { startTestServer } from './test-server';

// MLflow's model registry API through the whole all-in-one stack: Fastify gateway, in-process
// transport, registry-svc (and tracking-svc for lineage), real PostgreSQL.
describe('MLflow model registry API (all-in-one, real PostgreSQL)', () => {
  let server: TestServer;
  let api: ReturnType<typeof httpClient>;
  let db: Pool;
  const RM = '/api/2.0/mlflow/registered-models';
  const MV = '/api/2.0/mlflow/model-versions';
  const unique = (prefix = 'model') => `${prefix}-${randomUUID()}`;
  const q = (params: Record<string, string>) => new URLSearchParams(params).toString();
  const ok = async (method: string, path: string, body?: unknown) => {
    const res = method === 'GET' ? await api.get(path) : await api.send(method, path, body ?? {});
    assert.equal(res.status, 200, `${method} ${path}: ${res.text}`);
    return res.json;
  };
  const fails = async (method: string, path: string, body: unknown, status: number, code: string, message?: string) => {
    const res = method === 'GET' ? await api.get(path) : await api.send(method, path, body);
    assert.equal(res.status, status, `${method} ${path}: ${res.text}`);
    assert.equal(res.json.error_code, code, res.text);
    if (message) assert.equal(res.json.message, message);
  };
  const createModel = (name: string, extra: Record<string, unknown> = {}) => ok('POST', `${RM}/create`, { name, ...extra });
  const createVersion = async (name: string, source = 's3://bucket/model', extra: Record<string, unknown> = {}) =>
    (await ok('POST', `${MV}/create`, { name, source, ...extra })).model_version;
  const newRun = async () => {
    const { experiment_id } = await ok('POST', '/api/2.0/mlflow/experiments/create', { name: unique('exp') });
    return (await ok('POST', '/api/2.0/mlflow/runs/create', { experiment_id })).run.info as { run_id: string; artifact_uri: string; experiment_id: string };
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

  it('creates, gets and refuses a duplicate registered model with MLflow messages', async () => {
    const name = unique();
    const { registered_model } = await createModel(name, { description: 'churn', tags: [{ key: 'team', value: 'ml' }] });
    assert.equal(registered_model.name, name);
    assert.equal(registered_model.description, 'churn');
    assert.deepEqual(registered_model.tags, [{ key: 'team', value: 'ml' }]);
    assert.equal(typeof registered_model.creation_timestamp, 'number');
    assert.ok(!('latest_versions' in registered_model) && !('aliases' in registered_model));
    await fails('POST', `${RM}/create`, { name }, 400, 'RESOURCE_ALREADY_EXISTS', `Registered Model (name=${name}) already exists.`);
    await fails('GET', `${RM}/get?${q({ name: 'nope' })}`, undefined, 404, 'RESOURCE_DOES_NOT_EXIST', 'Registered Model with name=nope not found');
    await fails('POST', `${RM}/create`, { name: 'a/b' }, 400, 'INVALID_PARAMETER_VALUE', "Invalid model name 'a/b'. Names cannot contain '/' or ':'.");
    await fails('POST', `${RM}/create`, {}, 400, 'INVALID_PARAMETER_VALUE');
  });

  it('numbers versions from 1, strings on the wire, and keeps numbers of deleted versions taken', async () => {
    const name = unique();
    await createModel(name);
    const v1 = await createVersion(name, 's3://bucket/one', { description: 'first', tags: [{ key: 'k', value: 'v' }] });
    assert.deepEqual(
      { version: v1.version, stage: v1.current_stage, status: v1.status, source: v1.source, run_id: v1.run_id, description: v1.description },
      { version: '1', stage: 'None', status: 'READY', source: 's3://bucket/one', run_id: '', description: 'first' },
    );
    assert.equal((await createVersion(name)).version, '2');
    await ok('DELETE', `${MV}/delete`, { name, version: '2' });
    assert.equal((await createVersion(name)).version, '3');
    await fails('GET', `${MV}/get?${q({ name, version: '2' })}`, undefined, 404, 'RESOURCE_DOES_NOT_EXIST', `Model Version (name=${name}, version=2) not found`);
    await fails('GET', `${MV}/get?${q({ name, version: 'two' })}`, undefined, 400, 'INVALID_PARAMETER_VALUE', "Parameter 'version' must be an integer, got 'two'.");
    await fails('GET', `${MV}/get?${q({ name, version: '99999999999' })}`, undefined, 404, 'RESOURCE_DOES_NOT_EXIST');
    assert.deepEqual(await ok('GET', `${MV}/get-download-uri?${q({ name, version: '1' })}`), { artifact_uri: 's3://bucket/one' });
  });

  it('redacts a deleted version, removes its aliases and never returns it', async () => {
    const name = unique();
    await createModel(name);
    const run = await newRun();
    await createVersion(name, `runs:/${run.run_id}/model`, { run_id: run.run_id, run_link: 'http://ui/run' });
    await ok('POST', `${RM}/alias`, { name, alias: 'champion', version: '1' });
    await ok('DELETE', `${MV}/delete`, { name, version: '1' });
    const { rows } = await db.query(
      `SELECT v.current_stage, v.source, v.run_id, v.run_link, v.description FROM registry.model_versions v
       JOIN registry.registered_models m USING (model_id) WHERE m.name = $1`,
      [name],
    );
    assert.deepEqual(rows, [
      { current_stage: 'Deleted_Internal', source: 'REDACTED-SOURCE-PATH', run_id: 'REDACTED-RUN-ID', run_link: 'REDACTED-RUN-LINK', description: null },
    ]);
    const model = (await ok('GET', `${RM}/get?${q({ name })}`)).registered_model;
    assert.ok(!('aliases' in model) && !('latest_versions' in model));
    assert.deepEqual((await ok('GET', `${MV}/search?${q({ filter: `name = '${name}'` })}`)).model_versions ?? [], []);
    await fails('DELETE', `${MV}/delete`, { name, version: '1' }, 404, 'RESOURCE_DOES_NOT_EXIST');
  });

  it('moves aliases, resolves latest, and refuses reserved or unknown aliases', async () => {
    const name = unique();
    await createModel(name);
    for (let i = 0; i < 3; i++) await createVersion(name);
    assert.deepEqual(await ok('POST', `${RM}/alias`, { name, alias: 'champion', version: '1' }), {});
    await ok('POST', `${RM}/alias`, { name, alias: 'champion', version: '2' });
    const byAlias = (await ok('GET', `${RM}/alias?${q({ name, alias: 'champion' })}`)).model_version;
    assert.deepEqual([byAlias.version, byAlias.aliases], ['2', ['champion']]);
    assert.equal((await ok('GET', `${RM}/alias?${q({ name, alias: 'LATEST' })}`)).model_version.version, '3');
    assert.deepEqual((await ok('GET', `${RM}/get?${q({ name })}`)).registered_model.aliases, [{ alias: 'champion', version: '2' }]);
    await fails('GET', `${RM}/alias?${q({ name, alias: 'nobody' })}`, undefined, 400, 'INVALID_PARAMETER_VALUE', 'Registered model alias nobody not found.');
    await fails('POST', `${RM}/alias`, { name, alias: 'latest', version: '1' }, 400, 'INVALID_PARAMETER_VALUE', "'latest' alias name (case insensitive) is reserved.");
    await fails('POST', `${RM}/alias`, { name, alias: 'v3', version: '1' }, 400, 'INVALID_PARAMETER_VALUE', "Version alias name 'v3' is reserved.");
    await fails('POST', `${RM}/alias`, { name, alias: 'a.b', version: '1' }, 400, 'INVALID_PARAMETER_VALUE');
    await fails('POST', `${RM}/alias`, { name, alias: 'x', version: '9' }, 404, 'RESOURCE_DOES_NOT_EXIST');
    await ok('DELETE', `${RM}/alias`, { name, alias: 'champion' });
    await ok('DELETE', `${RM}/alias`, { name, alias: 'champion' }); // already gone: no error
    await fails('DELETE', `${RM}/alias`, { name: unique(), alias: 'champion' }, 404, 'RESOURCE_DOES_NOT_EXIST');
  });

  it('transitions stages, archives the others on request, and answers get-latest-versions by POST and GET', async () => {
    const name = unique();
    await createModel(name);
    for (let i = 0; i < 4; i++) await createVersion(name);
    const T = `${MV}/transition-stage`;
    assert.equal((await ok('POST', T, { name, version: '1', stage: 'production' })).model_version.current_stage, 'Production');
    await ok('POST', T, { name, version: '2', stage: 'Production' });
    await ok('POST', T, { name, version: '3', stage: 'Production', archive_existing_versions: true });
    const stages = async () => {
      const { model_versions } = await ok('GET', `${MV}/search?${q({ filter: `name = '${name}'`, order_by: 'version_number' })}`);
      return model_versions.map((v: { current_stage: string }) => v.current_stage);
    };
    assert.deepEqual(await stages(), ['Archived', 'Archived', 'Production', 'None']);
    const post = await ok('POST', `${RM}/get-latest-versions`, { name, stages: ['production', 'Archived'] });
    assert.deepEqual(post.model_versions.map((v: { version: string }) => v.version), ['2', '3']);
    const all = await ok('GET', `${RM}/get-latest-versions?${q({ name })}`);
    assert.deepEqual(all.model_versions.map((v: { version: string }) => v.version), ['2', '3', '4']);
    const one = await ok('GET', `${RM}/get-latest-versions?name=${encodeURIComponent(name)}&stages=None`);
    assert.deepEqual(one.model_versions.map((v: { version: string }) => v.version), ['4']);
    const latest = (await ok('GET', `${RM}/get?${q({ name })}`)).registered_model.latest_versions;
    assert.deepEqual(latest.map((v: { version: string; current_stage: string }) => `${v.version}:${v.current_stage}`), ['2:Archived', '3:Production', '4:None']);
    await fails('POST', T, { name, version: '4', stage: 'Shipped' }, 400, 'INVALID_PARAMETER_VALUE', 'Invalid Model Version stage: Shipped. Value must be one of None, Staging, Production, Archived.');
    await fails('POST', T, { name, version: '4', stage: 'Archived', archive_existing_versions: true }, 400, 'INVALID_PARAMETER_VALUE');
    await fails('POST', `${RM}/get-latest-versions`, { name, stages: ['Shipped'] }, 400, 'INVALID_PARAMETER_VALUE');
  });

  it('renames the model and every version with it; the old name is free, a taken one refused', async () => {
    const name = unique();
    const other = unique();
    await createModel(name);
    await createModel(other);
    await createVersion(name);
    await ok('POST', `${RM}/alias`, { name, alias: 'prod', version: '1' });
    const renamed = (await ok('POST', `${RM}/rename`, { name, new_name: `${name}-new` })).registered_model;
    assert.equal(renamed.name, `${name}-new`);
    assert.equal(renamed.latest_versions[0].name, `${name}-new`);
    assert.equal((await ok('GET', `${RM}/alias?${q({ name: `${name}-new`, alias: 'prod' })}`)).model_version.name, `${name}-new`);
    await fails('GET', `${RM}/get?${q({ name })}`, undefined, 404, 'RESOURCE_DOES_NOT_EXIST');
    await fails('POST', `${RM}/rename`, { name: `${name}-new`, new_name: other }, 400, 'RESOURCE_ALREADY_EXISTS', `Registered Model (name=${other}) already exists.`);
    await fails('POST', `${RM}/rename`, { name: `${name}-new`, new_name: '' }, 400, 'INVALID_PARAMETER_VALUE');
  });

  it('updates descriptions and tags with PATCH and DELETE bodies', async () => {
    const name = unique();
    await createModel(name, { description: 'old' });
    await createVersion(name);
    assert.equal((await ok('PATCH', `${RM}/update`, { name, description: 'new' })).registered_model.description, 'new');
    assert.equal((await ok('PATCH', `${MV}/update`, { name, version: '1', description: 'v1' })).model_version.description, 'v1');
    await ok('POST', `${RM}/set-tag`, { name, key: 'k', value: '1' });
    await ok('POST', `${MV}/set-tag`, { name, version: '1', key: 'k', value: '1' });
    await ok('DELETE', `${RM}/delete-tag`, { name, key: 'k' });
    await ok('DELETE', `${RM}/delete-tag`, { name, key: 'never-set' });
    await ok('DELETE', `${MV}/delete-tag`, { name, version: '1', key: 'k' });
    assert.ok(!('tags' in (await ok('GET', `${MV}/get?${q({ name, version: '1' })}`)).model_version));
    await fails('POST', `${MV}/set-tag`, { name, version: '1', key: '../k', value: 'v' }, 400, 'INVALID_PARAMETER_VALUE');
    await fails('POST', `${RM}/set-tag`, { name, key: 'big', value: 'x'.repeat(100_001) }, 400, 'INVALID_PARAMETER_VALUE');
    assert.ok(!('description' in (await ok('PATCH', `${RM}/update`, { name })).registered_model));
    await ok('DELETE', `${RM}/delete`, { name });
    await fails('GET', `${MV}/get?${q({ name, version: '1' })}`, undefined, 404, 'RESOURCE_DOES_NOT_EXIST');
  });

  it('refuses traversal, server paths, foreign hosts and sources that do not belong to the run or model', async () => {
    const name = unique();
    await createModel(name);
    const run = await newRun();
    const other = await newRun();
    const bad: Record<string, unknown>[] = [
      { source: 's3://b/%2e%2e/x' },
      { source: 's3://b/%252e%252e/x' },
      { source: 's3://b/%25252e%25252e/x' },
      { source: 's3://b/x%00y' },
      { source: 's3://b/x%2500y' },
      { source: 's3://b/a/../b' },
      { source: 'mlflow-artifacts:/1/x/./y' },
      { source: '/etc/passwd', run_id: run.run_id },
      { source: 'file:///etc/passwd', run_id: run.run_id },
      { source: 'C:\\secrets' },
      { source: 'http://169.254.169.254/latest' },
      { source: 'mlflow-artifacts://evil.example/1/x' },
      { source: `runs:/${other.run_id}/model`, run_id: run.run_id },
      { source: `runs:/${run.run_id}/model` },
      { source: `${other.artifact_uri}/model`, run_id: run.run_id },
      { source: `${run.artifact_uri}/model`, run_id: 'no-such-run' },
      { source: 'models:/m-0123', model_id: 'm-9999' },
      { source: 'models:/m-0123' },
    ];
    for (const body of bad) await fails('POST', `${MV}/create`, { name, ...body }, 400, 'INVALID_PARAMETER_VALUE');
    assert.equal((await createVersion(name, `${run.artifact_uri}/model`, { run_id: run.run_id })).run_id, run.run_id);
    assert.equal((await createVersion(name, `runs:/${run.run_id}/model`, { run_id: run.run_id })).version, '2');
    for (const source of ['gs://b/m', 'wasbs://c@acct.blob.core.windows.net/m', 'dbfs:/models/m']) await createVersion(name, source);
  });

  it('takes a models:/<model_id> version location from the logged model, and links the version to it', async () => {
    const name = unique();
    await createModel(name);
    const run = await newRun();
    const { model } = await ok('POST', '/api/2.0/mlflow/logged-models', { experiment_id: run.experiment_id, name: 'model', source_run_id: run.run_id });
    const id = model.info.model_id as string;
    const mv = await createVersion(name, `models:/${id}`, { model_id: id });
    assert.deepEqual([mv.source, mv.run_id, mv.model_id], [`models:/${id}`, run.run_id, id]);
    assert.equal((await ok('GET', `${MV}/get-download-uri?${q({ name, version: mv.version })}`)).artifact_uri, model.info.artifact_uri);
    const tags = (await ok('GET', `/api/2.0/mlflow/logged-models/${id}`)).model.info.tags;
    assert.deepEqual(tags, [{ key: 'mlflow.modelVersions', value: `[{"name": "${name}", "version": "1"}]` }]);
    await fails('POST', `${MV}/create`, { name, source: 'models:/m-missing', model_id: 'm-missing' }, 404, 'RESOURCE_DOES_NOT_EXIST');
    const copy = await createVersion(name, `models:/${name}/1`);
    assert.deepEqual([copy.version, copy.source, copy.run_id], ['2', `models:/${name}/1`, run.run_id]);
    assert.equal((await ok('GET', `${MV}/get-download-uri?${q({ name, version: '2' })}`)).artifact_uri, model.info.artifact_uri);
  });

  it('searches registered models with filters, order, paging and without prompts', async () => {
    const prefix = unique('search');
    const names = [0, 1, 2, 3, 4].map((i) => `${prefix}-${i}`);
    for (const [i, n] of names.entries()) await createModel(n, { tags: [{ key: 'parity', value: i % 2 ? 'odd' : 'even' }] });
    await createModel(`${prefix}-prompt`, { tags: [{ key: 'mlflow.prompt.is_prompt', value: 'true' }] });
    const search = async (params: Record<string, string>) => ok('GET', `${RM}/search?${q(params)}`);
    const like = `name LIKE '${prefix}-%'`;
    const namesOf = (r: { registered_models?: { name: string }[] }) => (r.registered_models ?? []).map((m) => m.name);
    assert.deepEqual(namesOf(await search({ filter: like })), names);
    assert.deepEqual(namesOf(await search({ filter: `${like} AND tags.parity = 'odd'` })), [names[1], names[3]]);
    assert.deepEqual(namesOf(await search({ filter: `${like} AND tags.\`mlflow.prompt.is_prompt\` = 'true'` })), [`${prefix}-prompt`]);
    assert.deepEqual(namesOf(await search({ filter: `${like} AND tags.\`mlflow.prompt.is_prompt\` = 'false'` })), names);
    const desc = await ok('GET', `${RM}/search?filter=${encodeURIComponent(like)}&order_by=name%20DESC`);
    assert.deepEqual(namesOf(desc), [...names].reverse());
    const page1 = await search({ filter: like, max_results: '3' });
    assert.deepEqual(namesOf(page1), names.slice(0, 3));
    const page2 = await search({ filter: like, max_results: '3', page_token: page1.next_page_token });
    assert.deepEqual(namesOf(page2), names.slice(3));
    assert.ok(!('next_page_token' in page2));
    assert.ok(!('next_page_token' in (await search({ filter: like, max_results: '5' }))));
    await fails('GET', `${RM}/search?${q({ max_results: '1001' })}`, undefined, 400, 'INVALID_PARAMETER_VALUE');
    await fails('GET', `${RM}/search?${q({ filter: "run_id = 'x'" })}`, undefined, 400, 'INVALID_PARAMETER_VALUE');
    await fails('GET', `${RM}/search?${q({ page_token: 'bad' })}`, undefined, 400, 'INVALID_PARAMETER_VALUE');
  });

  it('searches model versions by name, run, version number and tag, newest first by default', async () => {
    const name = unique();
    await createModel(name);
    const run = await newRun();
    for (let i = 0; i < 3; i++) await createVersion(name, `runs:/${run.run_id}/model`, { run_id: run.run_id });
    await createVersion(name, 's3://b/four', { tags: [{ key: 'flavor', value: 'sklearn' }] });
    const versions = async (filter: string, extra = '') =>
      ((await ok('GET', `${MV}/search?${q({ filter })}${extra}`)).model_versions ?? []).map((v: { version: string }) => v.version);
    assert.deepEqual(await versions(`name = '${name}'`), ['4', '3', '2', '1']);
    assert.deepEqual(await versions(`run_id = '${run.run_id}'`, '&order_by=version_number'), ['1', '2', '3']);
    assert.deepEqual(await versions(`name = '${name}' AND version_number >= 3`), ['4', '3']);
    assert.deepEqual(await versions(`name IN ('${name}') AND tags.flavor = 'sklearn'`), ['4']);
    assert.deepEqual(await versions(`source_path LIKE 's3://b/%' AND name = '${name}'`), ['4']);
    await fails('GET', `${MV}/search?${q({ max_results: '200001' })}`, undefined, 400, 'INVALID_PARAMETER_VALUE');
    await fails('GET', `${MV}/search?${q({ order_by: 'stage' })}`, undefined, 400, 'INVALID_PARAMETER_VALUE');
  });

  it('answers a page larger than one message in full, with MLflow\'s page token', async () => {
    const name = unique('big');
    await createModel(name);
    await db.query(
      `WITH m AS (UPDATE registry.registered_models SET last_version = 2600 WHERE name = $1 RETURNING model_id)
       INSERT INTO registry.model_versions (model_id, version, creation_time, last_updated_time, source, description, run_id, run_link)
       SELECT m.model_id, g, g, g, 's3://bucket/' || repeat('x', 200) || g, '', '', '' FROM m, generate_series(1, 2600) g`,
      [name],
    );
    const page = await ok('GET', `${MV}/search?${q({ filter: `name = '${name}'`, max_results: '2500' })}`);
    assert.equal(page.model_versions.length, 2500);
    assert.equal(page.model_versions[0].version, '2600');
    assert.equal(page.model_versions[2499].version, '101');
    const rest = await ok('GET', `${MV}/search?${q({ filter: `name = '${name}'`, max_results: '2500', page_token: page.next_page_token })}`);
    assert.equal(rest.model_versions.length, 100);
    assert.ok(!('next_page_token' in rest));
    assert.equal((await ok('GET', `${MV}/search?${q({ filter: `name = '${name}'` })}`)).model_versions.length, 2600);
  });

  it('lets exactly one of many concurrent creators of a name win, and numbers concurrent versions without gaps', async () => {
    const name = unique();
    const attempts = await Promise.all(Array.from({ length: 10 }, () => api.post(`${RM}/create`, { name })));
    assert.equal(attempts.filter((r) => r.status === 200).length, 1);
    assert.deepEqual(new Set(attempts.filter((r) => r.status !== 200).map((r) => r.json.error_code)), new Set(['RESOURCE_ALREADY_EXISTS']));
    const created = await Promise.all(Array.from({ length: 20 }, () => api.post(`${MV}/create`, { name, source: 's3://b/m' })));
    assert.ok(created.every((r) => r.status === 200));
    const numbers = created.map((r) => Number(r.json.model_version.version)).sort((a, b) => a - b);
    assert.deepEqual(numbers, Array.from({ length: 20 }, (_, i) => i + 1));
  });
});
