#!/usr/bin/env node
// Webhooks end to end against a running distributed Cairn (scripts/stack.sh): the registry's
// outbox → NATS JetStream (CAIRN_REGISTRY_EVENTS) → registry-svc's durable consumer → a signed
// POST to a receiver on loopback. Checks, through the gateway only:
//   1. a stage transition reaches the receiver signed exactly as MLflow signs (X-MLflow-Signature,
//      HMAC-SHA256 over "<delivery id>.<timestamp>.<body>", and cross-checked with MLflow's own
//      mlflow.webhooks.delivery._generate_hmac_signature when .venv/mlflow3 exists), with MLflow's
//      body shape; the receiver answers 500 first, and the retry (same delivery, same body)
//      succeeds; the delivery log (GET /api/cairn/v1/registry/webhooks/{id}/deliveries) shows
//      both attempts;
//   2. with --restart: an alias set whose registry-svc is SIGKILLed right after the commit (before
//      its outbox relay has published, most likely) is delivered once after `scripts/stack.sh
//      start` brings registry-svc back.
//
// Usage: node scripts/e2e-webhooks.mjs [--restart] [GATEWAY_URL]   (default http://127.0.0.1:15000)
// Needs registry-svc with CAIRN_WEBHOOK_ALLOWED_HOSTS including 127.0.0.1 and a
// CAIRN_WEBHOOK_SECRET_KEY: scripts/stack.sh sets both by default. --restart finds registry-svc
// by the stack's pid file (CAIRN_STACK_DIR, default .cairn-stack) and restarts it with
// scripts/stack.sh start, so run it with the environment the stack was started with.
// Exit code 0 when every check passed, 1 otherwise.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const restart = args.includes('--restart');
const gateway = (args.find((a) => !a.startsWith('--')) ?? 'http://127.0.0.1:15000').replace(/\/$/, '');
const log = (line) => process.stderr.write(`e2e-webhooks: ${line}\n`);

// ------------------------------------------------------------------ the receiver on loopback
/** Answers the queued statuses in turn, then 200; keeps every request it got. */
async function receiver(statuses) {
  const received = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const status = statuses.shift() ?? 200;
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status, at: Date.now() });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status >= 400 ? 'try again' : 'ok');
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}/hook`,
    received,
    close: () => new Promise((r) => server.close(r)),
  };
}

async function until(what, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// ------------------------------------------------------------------ the API
async function api(method, route, body) {
  const res = await fetch(`${gateway}${route}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${route}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : {};
}
const mlflow = (method, route, body) => api(method, `/api/2.0/mlflow/${route}`, body);

// ------------------------------------------------------------------ MLflow's signature
const hmacSignature = (secret, id, ts, body) => `v1,${createHmac('sha256', secret).update(`${id}.${ts}.${body}`, 'utf8').digest('base64')}`;

/** The signatures seen, checked at the end against MLflow's own function (importing mlflow takes seconds). */
const seen = [];

/** MLflow's _generate_hmac_signature over every seen delivery, when the repo's mlflow 3 venv is there. */
function mlflowSignatures(tuples) {
  const python = process.env.MLFLOW_PYTHON ?? path.join(root, '.venv/mlflow3/bin/python');
  if (!existsSync(python)) return undefined;
  const code = 'import json,sys\nfrom mlflow.webhooks.delivery import _generate_hmac_signature as s\nprint(json.dumps([s(*a) for a in json.load(sys.stdin)]))';
  return JSON.parse(execFileSync(python, ['-c', code], { input: JSON.stringify(tuples), encoding: 'utf8' }));
}

function assertSigned(r, secret) {
  const id = String(r.headers['x-mlflow-delivery-id'] ?? '');
  const ts = String(r.headers['x-mlflow-timestamp'] ?? '');
  assert.match(id, /^[0-9a-f-]{36}$/, 'X-MLflow-Delivery-Id is a UUID');
  assert.match(ts, /^\d{10}$/, 'X-MLflow-Timestamp is Unix seconds');
  assert.ok(Math.abs(Number(ts) - r.at / 1000) < 60, 'the timestamp is the time of sending');
  assert.equal(r.headers['content-type'], 'application/json');
  assert.equal(r.headers['x-mlflow-signature'], hmacSignature(secret, id, ts, r.body), 'X-MLflow-Signature verifies with the secret');
  assert.notEqual(r.headers['x-mlflow-signature'], hmacSignature(`${secret}x`, id, ts, r.body));
  seen.push({ args: [secret, id, ts, r.body], signature: r.headers['x-mlflow-signature'] });
}

function assertBody(r, entity, action, data) {
  const body = JSON.parse(r.body);
  assert.deepEqual(Object.keys(body), ['entity', 'action', 'timestamp', 'data'], 'MLflow body keys, in order');
  assert.equal(body.entity, entity);
  assert.equal(body.action, action);
  assert.match(body.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/, 'datetime.isoformat() in UTC');
  assert.deepEqual(body.data, data);
  assert.ok(r.body.includes('", "'), "Python json.dumps separators (', ', ': ')");
}

// ------------------------------------------------------------------ registry-svc restart
function stackDir() {
  return process.env.CAIRN_STACK_DIR ?? path.join(root, '.cairn-stack');
}

function registryPid() {
  const file = path.join(stackDir(), 'pids', 'registry-svc.pid');
  const pid = Number(readFileSync(file, 'utf8').trim());
  const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  if (!cmdline.includes('dist/apps/registry-svc/main.js')) throw new Error(`pid ${pid} in ${file} is not registry-svc`);
  return pid;
}

// ------------------------------------------------------------------ the checks
const checks = [];
async function check(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    checks.push({ name, ok: true });
    log(`PASS ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  } catch (err) {
    checks.push({ name, ok: false });
    log(`FAIL ${name}: ${err instanceof Error ? err.stack : err}`);
  }
}

const secret = `whsec-${randomUUID()}`;
const model = `e2e-webhooks-${randomUUID().slice(0, 8)}`;
const hook = await receiver([500]);
let webhookId;

log(`gateway ${gateway}, receiver ${hook.url}, model ${model}`);
try {
  await check('create a webhook for stage transitions and alias creation', async () => {
    const { webhook } = await mlflow('POST', 'webhooks', {
      name: `e2e-${randomUUID().slice(0, 8)}`,
      url: hook.url,
      events: [
        { entity: 'MODEL_VERSION', action: 'UPDATED' }, // Cairn's stage transitions (MLflow has no such event)
        { entity: 'MODEL_VERSION_ALIAS', action: 'CREATED' }, // MLflow's model_version_alias.created
      ],
      secret,
    });
    webhookId = webhook.webhook_id;
    assert.equal(webhook.status, 'ACTIVE');
    assert.ok(!JSON.stringify(webhook).includes(secret), 'the secret is never returned');
    assert.ok(!JSON.stringify(await mlflow('GET', `webhooks/${webhookId}`)).includes(secret));
    await mlflow('POST', 'registered-models/create', { name: model });
    await mlflow('POST', 'model-versions/create', { name: model, source: 's3://e2e-bucket/model' });
  });

  await check('a stage transition is delivered signed, answered 500, retried, and logged twice', async () => {
    assert.ok(webhookId, 'no webhook');
    await mlflow('POST', 'model-versions/transition-stage', { name: model, version: '1', stage: 'Production', archive_existing_versions: false });
    const [first, second] = await until('two deliveries (500, then the retry)', () => hook.received.length >= 2 && hook.received, 30_000);
    assert.deepEqual([first.status, second.status], [500, 200]);
    for (const r of [first, second]) {
      assertSigned(r, secret);
      assertBody(r, 'model_version', 'updated', { name: model, version: '1', from_stage: 'None', to_stage: 'Production' });
    }
    assert.equal(first.headers['x-mlflow-delivery-id'], second.headers['x-mlflow-delivery-id'], 'the retry is the same delivery');
    assert.equal(first.body, second.body, 'the retry sends the same body');
    assert.ok(second.at - first.at >= 500, `the retry waited for its backoff (${second.at - first.at} ms)`);

    const delivery = await until(
      'the delivery log to show the success',
      async () => {
        const { deliveries } = await api('GET', `/api/cairn/v1/registry/webhooks/${webhookId}/deliveries`);
        return deliveries[0]?.status === 'SUCCEEDED' && deliveries;
      },
      10_000,
    ).then((d) => {
      assert.equal(d.length, 1, 'one delivery for one event');
      return d[0];
    });
    assert.equal(delivery.delivery_id, first.headers['x-mlflow-delivery-id']);
    assert.deepEqual([delivery.entity, delivery.action], ['MODEL_VERSION', 'UPDATED']);
    assert.deepEqual(
      delivery.attempts.map((a) => [a.attempt, a.response_status, a.error]),
      [
        [1, 500, 'HTTP 500'],
        [2, 200, undefined],
      ],
    );
  });

  if (restart) {
    await check('an alias set committed just before registry-svc is killed is delivered after its restart', async () => {
      assert.ok(webhookId, 'no webhook');
      const before = hook.received.length;
      const pid = registryPid();
      await mlflow('POST', 'registered-models/alias', { name: model, alias: 'champion', version: '1' });
      process.kill(pid, 'SIGKILL');
      log(`alias set; registry-svc (pid ${pid}) killed; restarting it with scripts/stack.sh start`);
      await until('registry-svc to exit', () => !existsSync(`/proc/${pid}`) || readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2] === 'Z', 10_000);
      execFileSync('bash', [path.join(root, 'scripts/stack.sh'), 'start'], { stdio: ['ignore', 'ignore', 'inherit'] });
      log(`registry-svc is back (pid ${registryPid()})`);
      const got = await until('the alias delivery', () => hook.received.length > before && hook.received.slice(before), 90_000);
      await new Promise((r) => setTimeout(r, 3000)); // a duplicate would come now
      const fresh = hook.received.slice(before);
      assert.equal(fresh.length, 1, `exactly one delivery after the restart, got ${fresh.length}`);
      assertSigned(got[0], secret);
      assertBody(got[0], 'model_version_alias', 'created', { name: model, alias: 'champion', version: '1' });
      const { deliveries } = await api('GET', `/api/cairn/v1/registry/webhooks/${webhookId}/deliveries`);
      assert.equal(deliveries.length, 2);
      assert.deepEqual([deliveries[0].entity, deliveries[0].status, deliveries[0].attempts.length], ['MODEL_VERSION_ALIAS', 'SUCCEEDED', 1]);
    });
  } else {
    log('skipped the restart check (pass --restart against a scripts/stack.sh stack)');
  }
} finally {
  if (webhookId) await mlflow('DELETE', `webhooks/${webhookId}`).catch((e) => log(`cleanup: ${e.message}`));
  await mlflow('DELETE', 'registered-models/delete', { name: model }).catch((e) => log(`cleanup: ${e.message}`));
  await hook.close();
}

if (seen.length) {
  await check(`the ${seen.length} signatures equal MLflow's own _generate_hmac_signature`, async () => {
    const theirs = mlflowSignatures(seen.map((s) => s.args));
    if (theirs === undefined) return log('no .venv/mlflow3 (set MLFLOW_PYTHON): checked against the HMAC above only');
    assert.deepEqual(theirs, seen.map((s) => s.signature));
  });
}

const failed = checks.filter((c) => !c.ok).length;
log(`${checks.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
