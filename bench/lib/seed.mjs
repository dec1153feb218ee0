// Seeding through the MLflow REST API itself (so it works against any MLflow-compatible
// server), cached across invocations: a dataset lives in an experiment with a versioned name;
// a finished one carries the experiment tag `bench.complete=true` and is reused as is, an
// unfinished one is resumed (see each function). Change the shape => bump the version.
import { HttpError } from './http.mjs';
import { pool } from './load.mjs';

/** @typedef {import('./http.mjs').Client} Client */

/** Deterministic PRNG (mulberry32): the same run index always gets the same data. */
export function rng(/** @type {number} */ seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const round6 = (/** @type {number} */ x) => Math.round(x * 1e6) / 1e6;

// ---------------------------------------------------------------------------------------------
// The search dataset (W4–W6): one experiment of N runs, each with 20 params, 20 metrics (one
// value each, step 0) and 10 tags of its own, the shape of the 100k-run measurement in
// shared/reference/performance-lessons.md §4.2. `params.alpha` takes 10 values and
// `metrics.rmse` is uniform in [0, 1), so `metrics.rmse < 0.5 and params.alpha = 'y'` matches
// about 5% of the runs.
// ---------------------------------------------------------------------------------------------

export const ALPHAS = ['0.0001', '0.0003', '0.001', '0.003', '0.01', '0.03', '0.1', '0.3', '1', '3'];
const OPTIMIZERS = ['sgd', 'adam', 'adamw', 'rmsprop'];
const TEAMS = ['vision', 'nlp', 'ranking', 'forecast', 'fraud'];
const FAMILIES = ['xgboost', 'lightgbm', 'resnet', 'bert', 'linear', 'mlp'];
const METRIC_KEYS = ['rmse', 'mae', 'r2', 'loss', 'accuracy', ...Array.from({ length: 15 }, (_, k) => `m${String(k + 5).padStart(2, '0')}`)];
const CHUNK = 1000;

/**
 * The create-run body and the log-batch body of search-dataset run `i`.
 * @param {string} experimentId @param {number} i @param {number} baseTime
 */
export function searchRun(experimentId, i, baseTime) {
  const r = rng(i + 1);
  const pick = (/** @type {string[]} */ xs) => xs[Math.floor(r() * xs.length)];
  const start = baseTime + i; // distinct start times: the default order is deterministic
  const create = {
    experiment_id: experimentId,
    user_id: 'bench',
    run_name: `run-${i}`,
    start_time: start,
    tags: [
      { key: 'bench.chunk', value: String(Math.floor(i / CHUNK)) },
      { key: 'mlflow.user', value: 'bench' },
      { key: 'mlflow.source.type', value: 'LOCAL' },
      { key: 'mlflow.source.name', value: 'train.py' },
      { key: 'team', value: pick(TEAMS) },
      { key: 'model_family', value: pick(FAMILIES) },
      { key: 'stage', value: r() < 0.2 ? 'prod' : 'dev' },
      { key: 'dataset', value: `ds-${Math.floor(r() * 10)}` },
      { key: 'git_commit', value: Math.floor(r() * 2 ** 48).toString(16).padStart(12, '0') },
      { key: 'priority', value: String(1 + Math.floor(r() * 5)) },
    ],
  };
  const params = [
    { key: 'alpha', value: pick(ALPHAS) },
    { key: 'l1_ratio', value: String(round6(r())) },
    { key: 'learning_rate', value: String(round6(r() / 10)) },
    { key: 'batch_size', value: String(2 ** (4 + Math.floor(r() * 6))) },
    { key: 'epochs', value: String(1 + Math.floor(r() * 100)) },
    { key: 'optimizer', value: pick(OPTIMIZERS) },
    { key: 'seed', value: String(Math.floor(r() * 1e6)) },
    { key: 'max_depth', value: String(2 + Math.floor(r() * 14)) },
    { key: 'n_estimators', value: String(50 * (1 + Math.floor(r() * 20))) },
    { key: 'dropout', value: String(round6(r() / 2)) },
    ...Array.from({ length: 10 }, (_, k) => ({ key: `p${10 + k}`, value: `v${Math.floor(r() * 1000)}` })),
  ];
  const metrics = METRIC_KEYS.map((key) => ({ key, value: round6(r()), timestamp: start + 1000, step: 0 }));
  return { create, batch: { params, metrics, tags: [] } };
}

/**
 * Finds or creates the experiment `name`; returns { id, tags }.
 * @param {Client} c @param {string} name @param {Record<string, string>} initialTags
 */
async function experiment(c, name, initialTags) {
  try {
    const { experiment: e } = await c.get('experiments/get-by-name', { experiment_name: name });
    if (e.lifecycle_stage && e.lifecycle_stage !== 'active') {
      throw new Error(`experiment ${name} is deleted; restore it or drop the database`);
    }
    const tags = Object.fromEntries((e.tags ?? []).map((/** @type {any} */ t) => [t.key, t.value]));
    return { id: String(e.experiment_id), tags, created: false };
  } catch (e) {
    if (!(e instanceof HttpError) || e.status !== 404) throw e;
  }
  const tags = Object.entries(initialTags).map(([key, value]) => ({ key, value }));
  const { experiment_id } = await c.post('experiments/create', { name, tags });
  return { id: String(experiment_id), tags: { ...initialTags }, created: true };
}

/** @param {Client} c @param {string} id @param {string} key @param {string} value */
function setExperimentTag(c, id, key, value) {
  return c.post('experiments/set-experiment-tag', { experiment_id: id, key, value });
}

/**
 * @typedef {object} SeedOptions
 * @property {number} concurrency
 * @property {number} deadline      epoch ms; seeding stops (resumably) past it
 * @property {(line: string) => void} log
 */

/**
 * Seeds (or reuses) the search dataset of `runs` runs; returns its experiment id.
 * Resume: runs are created in chunks of 1000, each run tagged `bench.chunk`; after a chunk is
 * done the experiment tag `bench.chunks_done` is advanced. An interrupted chunk's runs are
 * found by that tag and deleted before the chunk is seeded again.
 * @param {Client} c @param {number} runs @param {SeedOptions} o
 */
export async function seedSearch(c, runs, o) {
  const name = `bench-search-${runs / 1000}k-v1`;
  const exp = await experiment(c, name, { 'bench.base_time': String(Date.UTC(2025, 0, 1)), 'bench.chunks_done': '0' });
  // a resumed seeding first deletes the runs of the chunk that was interrupted (if any)
  let resumed = !exp.created;
  const chunks = Math.ceil(runs / CHUNK);
  if (exp.tags['bench.complete'] === 'true') {
    o.log(`search dataset: reusing experiment ${name} (id ${exp.id}, ${runs} runs)`);
    return { experimentId: exp.id, name };
  }
  const baseTime = Number(exp.tags['bench.base_time'] ?? Date.UTC(2025, 0, 1));
  let done = Number(exp.tags['bench.chunks_done'] ?? 0);
  o.log(`search dataset: seeding ${name} (id ${exp.id}): ${runs} runs × (20 params, 20 metrics, 10 tags), from chunk ${done}/${chunks}`);
  const t0 = Date.now();
  let seeded = 0;
  for (; done < chunks; done++) {
    if (Date.now() > o.deadline) throw new Error(`seeding time limit reached at chunk ${done}/${chunks} (rerun to resume)`);
    if (resumed) await deleteChunk(c, exp.id, done);
    resumed = false;
    const indices = [];
    for (let i = done * CHUNK; i < Math.min(runs, (done + 1) * CHUNK); i++) indices.push(i);
    await pool(o.concurrency, indices, async (i) => {
      const { create, batch } = searchRun(exp.id, i, baseTime);
      const { run } = await c.post('runs/create', create);
      await c.post('runs/log-batch', { run_id: run.info.run_id, ...batch });
    });
    await setExperimentTag(c, exp.id, 'bench.chunks_done', String(done + 1));
    seeded += indices.length;
    const rate = seeded / ((Date.now() - t0) / 1000);
    o.log(`  chunk ${done + 1}/${chunks}: ${rate.toFixed(0)} runs/s, ~${Math.round((runs - (done + 1) * CHUNK) / rate)} s left`);
  }
  await setExperimentTag(c, exp.id, 'bench.complete', 'true');
  return { experimentId: exp.id, name };
}

/** Deletes the runs of a partially seeded chunk (found by its tag). @param {Client} c @param {string} expId @param {number} chunk */
async function deleteChunk(c, expId, chunk) {
  /** @type {string[]} */
  const ids = [];
  let pageToken;
  do {
    const res = await c.post('runs/search', {
      experiment_ids: [expId],
      filter: `tags.\`bench.chunk\` = '${chunk}'`,
      max_results: 1000,
      page_token: pageToken,
    });
    for (const r of res.runs ?? []) ids.push(r.info.run_id);
    pageToken = res.next_page_token;
  } while (pageToken);
  if (!ids.length) return;
  await pool(8, ids, (id) => c.post('runs/delete', { run_id: id }));
}

// ---------------------------------------------------------------------------------------------
// The metric-history dataset (W7, W8): metric `loss` with one point per step 0..n-1.
// Series `w7` has `w7Points` points in one run; series `w8-0` … `w8-9` have `w8Points` each.
// Each finished run's id is kept in the experiment tag `bench.run.<series>`; an unfinished
// run (tag `bench.partial.<series>`) is deleted and its series logged again from scratch.
// ---------------------------------------------------------------------------------------------

/** Value of `loss` at `step` (a noisy decaying curve; deterministic). @param {number} step */
export function lossAt(step) {
  return round6(1 / (1 + step / 5000) + 0.05 * Math.sin(step / 37));
}

/**
 * @param {Client} c @param {{ w7Points: number, w8Runs: number, w8Points: number }} spec
 * @param {SeedOptions} o
 * @returns {Promise<{ experimentId: string, name: string, w7: string, w8: string[] }>}
 */
export async function seedHistory(c, spec, o) {
  const label = (/** @type {number} */ n) => (n >= 1e6 ? `${n / 1e6}m` : `${n / 1000}k`);
  const name = `bench-history-${label(spec.w7Points)}-${spec.w8Runs}x${label(spec.w8Points)}-v1`;
  const exp = await experiment(c, name, { 'bench.base_time': String(Date.UTC(2025, 0, 1)) });
  const baseTime = Number(exp.tags['bench.base_time'] ?? Date.UTC(2025, 0, 1));
  const series = [
    { name: 'w7', points: spec.w7Points },
    ...Array.from({ length: spec.w8Runs }, (_, k) => ({ name: `w8-${k}`, points: spec.w8Points })),
  ];
  const result = () => ({
    experimentId: exp.id,
    name,
    w7: exp.tags['bench.run.w7'],
    w8: series.slice(1).map((s) => exp.tags[`bench.run.${s.name}`]),
  });
  if (exp.tags['bench.complete'] === 'true') {
    o.log(`history dataset: reusing experiment ${name} (id ${exp.id})`);
    return result();
  }
  const todo = series.filter((s) => !exp.tags[`bench.run.${s.name}`]);
  const total = todo.reduce((n, s) => n + s.points, 0);
  o.log(`history dataset: seeding ${name} (id ${exp.id}): ${todo.length} series, ${total} points`);

  // one run per series; batches of 1000 points; the batches of all series go through one pool,
  // interleaved so that concurrent requests mostly hit different runs
  /** @type {{ run: string, from: number, to: number, state: { series: string, left: number } }[][]} */
  const perSeries = [];
  for (const s of todo) {
    const partial = exp.tags[`bench.partial.${s.name}`];
    if (partial) {
      await c.post('runs/delete', { run_id: partial }).catch(() => undefined);
    }
    const { run } = await c.post('runs/create', {
      experiment_id: exp.id,
      user_id: 'bench',
      run_name: s.name,
      start_time: baseTime,
      tags: [{ key: 'mlflow.user', value: 'bench' }],
    });
    const id = run.info.run_id;
    await setExperimentTag(c, exp.id, `bench.partial.${s.name}`, id);
    exp.tags[`bench.partial.${s.name}`] = id;
    const batches = [];
    const state = { series: s.name, left: Math.ceil(s.points / 1000) };
    for (let from = 0; from < s.points; from += 1000) batches.push({ run: id, from, to: Math.min(s.points, from + 1000), state });
    perSeries.push(batches);
  }
  const queue = [];
  for (let k = 0; perSeries.some((b) => k < b.length); k++) for (const b of perSeries) if (k < b.length) queue.push(b[k]);

  const t0 = Date.now();
  let points = 0;
  let lastLog = t0;
  await pool(o.concurrency, queue, async (b) => {
    if (Date.now() > o.deadline) throw new Error('seeding time limit reached (rerun to resume)');
    const metrics = [];
    for (let step = b.from; step < b.to; step++) metrics.push({ key: 'loss', value: lossAt(step), timestamp: baseTime + step, step });
    await c.post('runs/log-batch', { run_id: b.run, metrics });
    points += metrics.length;
    if (--b.state.left === 0) {
      // this series is complete: a resumed seeding keeps it
      await setExperimentTag(c, exp.id, `bench.run.${b.state.series}`, b.run);
      exp.tags[`bench.run.${b.state.series}`] = b.run;
    }
    if (Date.now() - lastLog > 10_000) {
      lastLog = Date.now();
      const rate = points / ((Date.now() - t0) / 1000);
      o.log(`  ${points}/${total} points, ${rate.toFixed(0)} points/s, ~${Math.round((total - points) / rate)} s left`);
    }
  });
  await setExperimentTag(c, exp.id, 'bench.complete', 'true');
  o.log(`history dataset: ${total} points in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return result();
}
