#!/usr/bin/env node
// Cairn's benchmark harness: drives any MLflow-compatible tracking server over its REST API.
// Plain ESM JavaScript with JSDoc types (Node 20 cannot strip TypeScript types, and the repo's
// build compiles only apps/*/src and libs/*/src), so it runs as is: `npm run bench -- --url …`.
// See bench/README.md.
import os from 'node:os';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Client, HttpError } from './lib/http.mjs';
import { MISSING, percentile, runLoad } from './lib/load.mjs';
import { REGISTRY_WORKLOADS, seedRegistry } from './lib/registry.mjs';
import { seedHistory, seedSearch } from './lib/seed.mjs';
import { WORKLOADS as TRACKING_WORKLOADS } from './lib/workloads.mjs';

const WORKLOADS = [...TRACKING_WORKLOADS, ...REGISTRY_WORKLOADS];

const USAGE = `usage: npm run bench -- --url http://127.0.0.1:PORT [options]

  --url URL              tracking server (127.0.0.1 / localhost only)
  --workloads W1,W4      which workloads (default: W1..W8; registry: R1..R6)
  --quick                small datasets (10k runs, 100k + 10×10k points) and short runs
  --duration S           seconds per workload (default 20; --quick 5)
  --clients N            override every workload's number of concurrent clients
  --seed-concurrency N   concurrent requests while seeding (default 8)
  --seed-timeout MIN     give up seeding after MIN minutes; a rerun resumes (default 120)
  --seed-only            seed (or check) the datasets the workloads need, run nothing
  --json FILE            also write the results as JSON
  --label NAME           name of the server in the output (default: the URL)
`;

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    workloads: { type: 'string' },
    quick: { type: 'boolean', default: false },
    duration: { type: 'string' },
    clients: { type: 'string' },
    'seed-concurrency': { type: 'string', default: '8' },
    'seed-timeout': { type: 'string', default: '120' },
    'seed-only': { type: 'boolean', default: false },
    json: { type: 'string' },
    label: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});

if (args.help || !args.url) {
  process.stderr.write(USAGE);
  process.exit(args.help ? 0 : 2);
}

const positive = (/** @type {string | undefined} */ v, /** @type {string} */ name) => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) {
    process.stderr.write(`--${name} must be a positive number\n`);
    process.exit(2);
  }
  return n;
};

const quick = args.quick;
const durationMs = (positive(args.duration, 'duration') ?? (quick ? 5 : 20)) * 1000;
const clientsOverride = positive(args.clients, 'clients');
const seedConcurrency = positive(args['seed-concurrency'], 'seed-concurrency') ?? 8;
const seedDeadline = Date.now() + (positive(args['seed-timeout'], 'seed-timeout') ?? 120) * 60_000;
const wanted = (args.workloads ?? TRACKING_WORKLOADS.map((w) => w.id).join(','))
  .split(',')
  .map((s) => s.trim().toUpperCase())
  .filter(Boolean);
const unknown = wanted.filter((id) => !WORKLOADS.some((w) => w.id === id));
if (unknown.length) {
  process.stderr.write(`unknown workload(s): ${unknown.join(', ')} (known: ${WORKLOADS.map((w) => w.id).join(', ')})\n`);
  process.exit(2);
}
const selected = WORKLOADS.filter((w) => wanted.includes(w.id));

const sizes = quick
  ? { runs: 10_000, history: { w7Points: 100_000, w8Runs: 10, w8Points: 10_000 } }
  : { runs: 100_000, history: { w7Points: 1_000_000, w8Runs: 10, w8Points: 100_000 } };

const log = (/** @type {string} */ line) => process.stderr.write(`${line}\n`);

/** @param {unknown} e */
function reason(e) {
  if (e instanceof HttpError && MISSING.has(e.status)) return `n/a (${e.status})`;
  const msg = e instanceof Error ? e.message : String(e);
  return `error: ${msg.slice(0, 160)}`;
}

let client;
try {
  client = new Client(args.url, { sockets: 64 });
} catch (e) {
  process.stderr.write(`${e instanceof Error ? e.message : e}\n`);
  process.exit(2);
}
const label = args.label ?? args.url;

// --- the server and the machine -------------------------------------------------------------
const version = await client.request('GET', '/version');
if (version.status === 0) {
  log(`cannot reach ${args.url}: ${version.error}`);
  process.exit(1);
}
const machine = {
  date: new Date().toISOString(),
  cpus: os.availableParallelism(),
  cpuModel: os.cpus()[0]?.model ?? '?',
  memGiB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  loadavgStart: os.loadavg().map((x) => Number(x.toFixed(2))),
};
log(`bench: ${label} (version ${version.status === 200 ? version.body.toString().trim() : `HTTP ${version.status}`})`);
log(`machine: ${machine.cpus} cores (${machine.cpuModel}), ${machine.memGiB} GiB, node ${machine.node}, load ${machine.loadavgStart.join(' ')}`);
log(`mode: ${quick ? 'quick' : 'full'}; ${(durationMs / 1000).toFixed(0)} s per workload; workloads ${selected.map((w) => w.id).join(',')}`);

// --- seeding --------------------------------------------------------------------------------
const seedOpts = { concurrency: seedConcurrency, deadline: seedDeadline, log };
/** @type {import('./lib/workloads.mjs').Context} */
const ctx = { client, scratchExperimentId: '', search: undefined, history: undefined };
/** @type {Record<string, string>} */
const unavailable = {};
const seedTimes = {};

if (selected.some((w) => w.needs === 'search')) {
  const t0 = Date.now();
  try {
    const s = await seedSearch(client, sizes.runs, seedOpts);
    ctx.search = { experimentId: s.experimentId, runs: sizes.runs };
    seedTimes.search = { experiment: s.name, seconds: Math.round((Date.now() - t0) / 1000) };
  } catch (e) {
    unavailable.search = reason(e);
    log(`search dataset unavailable: ${e instanceof Error ? e.message : e}`);
  }
}
if (selected.some((w) => w.needs === 'history')) {
  const t0 = Date.now();
  try {
    const h = await seedHistory(client, sizes.history, seedOpts);
    ctx.history = { w7: h.w7, w8: h.w8, w7Points: sizes.history.w7Points };
    seedTimes.history = { experiment: h.name, seconds: Math.round((Date.now() - t0) / 1000) };
  } catch (e) {
    unavailable.history = reason(e);
    log(`history dataset unavailable: ${e instanceof Error ? e.message : e}`);
  }
}
if (selected.some((w) => w.needs === 'registry')) {
  const t0 = Date.now();
  try {
    await seedRegistry(client, seedOpts);
    seedTimes.registry = { seconds: Math.round((Date.now() - t0) / 1000) };
  } catch (e) {
    unavailable.registry = reason(e);
    log(`registry dataset unavailable: ${e instanceof Error ? e.message : e}`);
  }
}
if (args['seed-only']) {
  log(`seeding done: ${JSON.stringify(seedTimes)}${Object.keys(unavailable).length ? `; unavailable: ${JSON.stringify(unavailable)}` : ''}`);
  client.close();
  process.exit(Object.keys(unavailable).length ? 1 : 0);
}

if (selected.some((w) => !w.needs)) {
  try {
    const { experiment_id } = await client.post('experiments/create', { name: `bench-scratch-${Date.now()}` });
    ctx.scratchExperimentId = String(experiment_id);
  } catch (e) {
    unavailable.scratch = reason(e);
  }
}

// --- the workloads --------------------------------------------------------------------------
/** @type {any[]} */
const rows = [];
for (const w of selected) {
  const clients = clientsOverride ?? w.clients;
  const row = { id: w.id, title: w.title, clients, unit: w.unit, target: w.target?.text ?? '—', load1: Number(os.loadavg()[0].toFixed(2)) };
  const blocked = unavailable[w.needs ?? 'scratch'];
  if (blocked) {
    const where = w.needs ? 'while seeding' : 'creating the scratch experiment';
    rows.push({ ...row, result: blocked.startsWith('n/a') ? blocked.replace(/\)$/, ` ${where})`) : `n/a (${where}: ${blocked})` });
    log(`${w.id}: ${rows.at(-1).result}`);
    continue;
  }
  log(`${w.id} ${w.title}: ${clients} client(s), up to ${(durationMs / 1000).toFixed(0)} s / ${w.maxOps[quick ? 'quick' : 'full']} ops`);
  let op;
  try {
    op = await w.prepare(ctx, clients);
  } catch (e) {
    rows.push({ ...row, result: reason(e) });
    log(`${w.id}: ${rows.at(-1).result}`);
    continue;
  }
  const r = await runLoad({ clients, durationMs, maxOps: w.maxOps[quick ? 'quick' : 'full'], warmupOps: w.warmupOps, op });
  const summary = {
    ops: r.ops,
    errors: r.errors.length,
    throughput: r.wallMs ? r.units / (r.wallMs / 1000) : 0,
    opsPerSec: r.wallMs ? r.ops / (r.wallMs / 1000) : 0,
    p50: percentile(r.latencies, 50),
    p95: percentile(r.latencies, 95),
    p99: percentile(r.latencies, 99),
    max: r.latencies.at(-1) ?? NaN,
    avgBytes: r.ops ? Math.round(r.bytes / r.ops) : 0,
    seconds: Number((r.wallMs / 1000).toFixed(1)),
  };
  let result;
  if (r.missing) result = `n/a (${r.missing})`;
  else if (!r.ops) result = `error: ${r.errors[0]?.message.slice(0, 160)}`;
  else if (r.errors.length) result = `FAIL (${r.errors.length} errors)`;
  else if (!w.target) result = '—';
  else result = w.target.pass(summary) ? 'pass' : 'FAIL';
  rows.push({ ...row, ...summary, result, firstError: r.errors[0]?.message });
  if (r.errors.length) log(`${w.id}: first error: ${r.errors[0].message}`);
  log(`${w.id}: ${r.ops} ops in ${summary.seconds} s, ${fmtRate(summary.throughput)} ${w.unit}/s, p50 ${fmtMs(summary.p50)} p99 ${fmtMs(summary.p99)} → ${result}`);
}

if (ctx.scratchExperimentId) {
  await client.post('experiments/delete', { experiment_id: ctx.scratchExperimentId }).catch(() => undefined);
  log(`scratch experiment ${ctx.scratchExperimentId} deleted (soft); to purge its points: bench/cairn-server.sh gc or bench/mlflow-server.sh gc`);
}
client.close();

// --- the table ------------------------------------------------------------------------------
function fmtMs(/** @type {number} */ ms) {
  if (!Number.isFinite(ms)) return '';
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms).toLocaleString('en-US')} ms`;
}
function fmtRate(/** @type {number} */ x) {
  if (!Number.isFinite(x) || x === 0) return '';
  return x < 100 ? x.toFixed(1) : Math.round(x).toLocaleString('en-US');
}

const header = ['workload', 'clients', 'ops', 'throughput', 'p50', 'p95', 'p99', 'target', 'result', 'load1'];
const table = rows.map((r) => [
  `${r.id} ${r.title}`,
  String(r.clients),
  r.ops === undefined ? '' : String(r.ops),
  r.throughput ? `${fmtRate(r.throughput)} ${r.unit}/s` : '',
  fmtMs(r.p50),
  fmtMs(r.p95),
  fmtMs(r.p99),
  r.target,
  r.result,
  String(r.load1),
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i].length)));
const line = (/** @type {string[]} */ cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
process.stdout.write(`\n${label} — ${machine.date} — ${quick ? 'quick' : 'full'} datasets (${sizes.runs.toLocaleString('en-US')} runs; ${sizes.history.w7Points.toLocaleString('en-US')} + ${sizes.history.w8Runs}×${sizes.history.w8Points.toLocaleString('en-US')} points)\n`);
process.stdout.write(`${machine.cpus} cores, ${machine.memGiB} GiB, load average at start ${machine.loadavgStart.join(' ')}, at end ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}\n\n`);
process.stdout.write(`${line(header)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n`);
for (const t of table) process.stdout.write(`${line(t)}\n`);

if (args.json) {
  writeFileSync(
    args.json,
    JSON.stringify({ label, url: args.url, version: version.body.toString().trim(), quick, durationMs, machine, loadavgEnd: os.loadavg(), seed: seedTimes, unavailable, rows }, null, 2),
  );
  log(`results written to ${args.json}`);
}
