import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Pool } from 'pg';
import { httpClient } from '@cairn/testing';
import type { TestServer } from './test-server';
import { startTestServer } from './test-server';

// The registry's change records: the audit trail (beyond MLflow: who moved `champion` from version 2
// to 3, and when) and the outbox that phase 2 publishes to JetStream, both written with the change.
describe('registry audit trail and outbox (all-in-one, real PostgreSQL)', () => {
  let server: TestServer;
  let api: ReturnType<typeof httpClient>;
  let db: Pool;
  const RM = '/api/2.0/mlflow/registered-models';
  const MV = '/api/2.0/mlflow/model-versions';
  const history = (name: string, query = '') => api.get(`/api/cairn/v1/registry/models/${encodeURIComponent(name)}/history${query}`);
  const basic = (user: string) => ({ authorization: `Basic ${Buffer.from(`${user}:secret`).toString('base64')}` });
  const as = async (headers: Record<string, string>, method: string, path: string, body: unknown) => {
    const res = await api.send(method, path, body, headers);
    assert.equal(res.status, 200, `${method} ${path}: ${res.text}`);
    return res.json;
  };
  type Event = { action: string; version?: string; alias?: string; from?: string; to?: string; actor: string; request_id?: string; at: number };
  const brief = (e: Event) => [e.action, e.version ?? '', e.alias ?? '', e.from ?? '', e.to ?? '', e.actor].join('|');

  before(async () => {
    server = await startTestServer();
    api = httpClient(server.url);
    db = new Pool({ connectionString: server.databaseUrl, max: 2 });
  });
  after(async () => {
    await db.end();
    await server.stop();
  });

  it('returns the history of a scripted sequence of changes, newest first, with who did each', async () => {
    const name = `audit-${randomUUID()}`;
    const alice = basic('alice');
    const bob = { 'x-cairn-user': 'bob' };
    const started = Date.now();
    await as(alice, 'POST', `${RM}/create`, { name, description: 'first' });
    for (let i = 0; i < 3; i++) await as(alice, 'POST', `${MV}/create`, { name, source: 's3://b/m' });
    await as(alice, 'POST', `${RM}/alias`, { name, alias: 'champion', version: '2' });
    await as(bob, 'POST', `${MV}/transition-stage`, { name, version: '2', stage: 'Production' });
    await as(bob, 'POST', `${RM}/alias`, { name, alias: 'champion', version: '3' });
    await as(bob, 'POST', `${MV}/transition-stage`, { name, version: '3', stage: 'Production', archive_existing_versions: true });
    await as({}, 'PATCH', `${RM}/update`, { name, description: 'second' });
    await as({ user_id: 'carol' }, 'PATCH', `${MV}/update`, { name, version: '1', description: 'v1' });
    await as(alice, 'POST', `${RM}/alias`, { name, alias: 'old', version: '1' });
    await as(alice, 'DELETE', `${MV}/delete`, { name, version: '1' });
    await as(bob, 'DELETE', `${RM}/alias`, { name, alias: 'champion' });

    const res = await history(name);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.events.map(brief), [
      'alias_deleted|3|champion|3||bob',
      'version_deleted|1||None||alice',
      'alias_deleted|1|old|1||alice',
      'alias_set|1|old||1|alice',
      'description_changed|1|||v1|carol',
      'description_changed|||first|second|anonymous',
      'stage_transition|3||None|Production|bob',
      'stage_transition|2||Production|Archived|bob',
      'alias_set|3|champion|2|3|bob',
      'stage_transition|2||None|Production|bob',
      'alias_set|2|champion||2|alice',
      'version_created|3|||None|alice',
      'version_created|2|||None|alice',
      'version_created|1|||None|alice',
      'model_created||||' + name + '|alice',
    ]);
    const events: Event[] = res.json.events;
    assert.ok(events.every((e) => e.at >= started && e.at <= Date.now()));
    assert.ok(events.every((e) => typeof e.request_id === 'string'));
  });

  it('records the request id the caller sent, and nothing for a refused change', async () => {
    const name = `audit-${randomUUID()}`;
    await as({ 'x-request-id': 'req-create-1' }, 'POST', `${RM}/create`, { name });
    await as({}, 'POST', `${MV}/create`, { name, source: 's3://b/m' });
    const refused = await api.send('POST', `${RM}/alias`, { name, alias: 'latest', version: '1' }, { 'x-cairn-user': 'mallory' });
    assert.equal(refused.status, 400);
    const missing = await api.send('POST', `${MV}/transition-stage`, { name, version: '7', stage: 'Staging' }, { 'x-cairn-user': 'mallory' });
    assert.equal(missing.status, 404);
    const events: Event[] = (await history(name)).json.events;
    assert.deepEqual(events.map((e) => e.action), ['version_created', 'model_created']);
    assert.equal(events[1]!.request_id, 'req-create-1');
  });

  it('pages the history with a token, stable while new events arrive', async () => {
    const name = `audit-${randomUUID()}`;
    await as({}, 'POST', `${RM}/create`, { name });
    for (let i = 0; i < 5; i++) await as({}, 'POST', `${MV}/create`, { name, source: 's3://b/m' });
    const first = (await history(name, '?max_results=4')).json;
    assert.deepEqual(first.events.map((e: Event) => e.version), ['5', '4', '3', '2']);
    await as({}, 'POST', `${MV}/create`, { name, source: 's3://b/m' });
    const second = (await history(name, `?max_results=4&page_token=${first.next_page_token}`)).json;
    assert.deepEqual(second.events.map((e: Event) => e.action), ['version_created', 'model_created']);
    assert.ok(!('next_page_token' in second));
    const bad = await history(name, '?page_token=garbage');
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error_code, 'INVALID_PARAMETER_VALUE');
  });

  it('follows a model across a rename, and keeps a deleted model\'s history under its name', async () => {
    const name = `audit-${randomUUID()}`;
    await as({}, 'POST', `${RM}/create`, { name });
    await as({}, 'POST', `${RM}/rename`, { name, new_name: `${name}-b` });
    const renamed: Event[] = (await history(`${name}-b`)).json.events;
    assert.deepEqual(renamed.map(brief), [`renamed|||${name}|${name}-b|anonymous`, `model_created||||${name}|anonymous`]);
    await as(basic('dave'), 'DELETE', `${RM}/delete`, { name: `${name}-b` });
    const gone: Event[] = (await history(`${name}-b`)).json.events;
    assert.deepEqual(gone.map((e) => e.action), ['model_deleted', 'renamed']);
    assert.equal(gone[0]!.actor, 'dave');
    await as({}, 'POST', `${RM}/create`, { name: `${name}-b` });
    const reborn: Event[] = (await history(`${name}-b`)).json.events;
    assert.deepEqual(reborn.map((e) => e.action), ['model_created']);
    const unknown = await history(`never-${randomUUID()}`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.error_code, 'RESOURCE_DOES_NOT_EXIST');
  });

  it('keeps the audit table append-only, even for the service\'s own database user', async () => {
    await assert.rejects(db.query('UPDATE registry.audit_events SET actor = $1', ['forger']), /append-only/);
    await assert.rejects(db.query('DELETE FROM registry.audit_events'), /append-only/);
    await assert.rejects(db.query('TRUNCATE registry.audit_events'), /append-only/);
  });

  it('writes each committed change to the outbox in its transaction, and nothing for a refused one', async () => {
    const name = `outbox-${randomUUID()}`;
    await as({}, 'POST', `${RM}/create`, { name });
    await as({}, 'POST', `${MV}/create`, { name, source: 's3://b/m' });
    await as({}, 'POST', `${RM}/alias`, { name, alias: 'champion', version: '1' });
    await as({}, 'POST', `${MV}/transition-stage`, { name, version: '1', stage: 'Staging' });
    assert.equal((await api.post(`${MV}/transition-stage`, { name, version: '1', stage: 'Nope' })).status, 400);
    assert.equal((await api.post(`${RM}/create`, { name })).status, 400);
    await as({}, 'DELETE', `${RM}/delete`, { name });
    const { rows } = await db.query(
      `SELECT o.event_type, o.payload FROM registry.outbox o
       WHERE o.payload->>'name' = $1 ORDER BY o.event_id`,
      [name],
    );
    assert.deepEqual(rows.map((r) => r.event_type), [
      'registered-model.created',
      'model-version.created',
      'model-version.alias-set',
      'model-version.stage-transitioned',
      'registered-model.deleted',
    ]);
    assert.deepEqual(rows[3].payload, { name, version: '1', from_stage: 'None', to_stage: 'Staging' });
  });
});
