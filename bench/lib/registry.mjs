// The model-registry benchmark (issue 5, performance part): a dataset of 1,000 registered
// models × 100 versions plus one model with 5,000 versions, seeded through the MLflow REST API,
// and the workloads R1–R6 over it.
import { HttpError, parseJson, qs } from './http.mjs';
import { OpError, expectOk, pool } from './load.mjs';

/** @typedef {import('./http.mjs').Client} Client */

const API = '/api/2.0/mlflow';
const PREFIX = 'bench-reg-v1';
const EXPERIMENT = `${PREFIX}-runs`;
export const BIG = `${PREFIX}-big`;
const MODELS = 1000;
const VERSIONS = 100;
const BIG_VERSIONS = 5000;
/** Versions per run: a search by run_id finds this many versions (all of one model). */
const PER_RUN = 10;
const ALIAS = 'champion';

const modelName = (/** @type {number} */ m) => `${PREFIX}-m${String(m).padStart(4, '0')}`;

/**
 * @typedef {object} RegistryDataset
 * @property {number} models
 * @property {number} versions   per model
 * @property {number} bigVersions
 */

/**
 * Seeds (or reuses) the registry dataset. Each model is seeded whole: its runs (one per 10
 * versions), its versions in order, the alias `champion` on the last one, then the model tag
 * `bench.complete=true`. A rerun skips complete models and deletes and redoes an interrupted
 * one. The experiment holding the runs gets `bench.complete=true` when everything is done.
 * Concurrency is across models; one model's versions are created one after another (their
 * numbers are a per-model counter, so concurrent creates of one model only queue on it).
 * @param {Client} c @param {import('./seed.mjs').SeedOptions} o
 * @returns {Promise<RegistryDataset>}
 */
export async function seedRegistry(c, o) {
  const dataset = { models: MODELS, versions: VERSIONS, bigVersions: BIG_VERSIONS };
  const exp = await experimentId(c);
  if (exp.complete) {
    o.log(`registry dataset: reusing ${PREFIX} (${MODELS} models × ${VERSIONS} versions, ${BIG} with ${BIG_VERSIONS})`);
    return dataset;
  }
  o.log(`registry dataset: seeding ${PREFIX}: ${MODELS} models × ${VERSIONS} versions and ${BIG} with ${BIG_VERSIONS} versions`);
  const t0 = Date.now();
  let versions = 0;
  let lastLog = t0;
  const total = MODELS * VERSIONS + BIG_VERSIONS;
  const progress = (/** @type {number} */ n) => {
    versions += n;
    if (Date.now() - lastLog < 10_000) return;
    lastLog = Date.now();
    const rate = versions / ((Date.now() - t0) / 1000);
    o.log(`  ${versions}/${total} versions, ${rate.toFixed(0)} versions/s, ~${Math.round((total - versions) / rate)} s left`);
  };
  const jobs = [{ name: BIG, n: BIG_VERSIONS }, ...Array.from({ length: MODELS }, (_, m) => ({ name: modelName(m), n: VERSIONS }))];
  await pool(o.concurrency, jobs, async (job) => {
    if (Date.now() > o.deadline) throw new Error('seeding time limit reached (rerun to resume)');
    await seedModel(c, exp.id, job.name, job.n, progress);
  });
  await c.post('experiments/set-experiment-tag', { experiment_id: exp.id, key: 'bench.complete', value: 'true' });
  o.log(`registry dataset: ${versions} versions in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return dataset;
}

/** @param {Client} c */
async function experimentId(c) {
  try {
    const { experiment: e } = await c.get('experiments/get-by-name', { experiment_name: EXPERIMENT });
    const complete = (e.tags ?? []).some((/** @type {any} */ t) => t.key === 'bench.complete' && t.value === 'true');
    return { id: String(e.experiment_id), complete };
  } catch (e) {
    if (!(e instanceof HttpError) || e.status !== 404) throw e;
  }
  const { experiment_id } = await c.post('experiments/create', { name: EXPERIMENT });
  return { id: String(experiment_id), complete: false };
}

/**
 * @param {Client} c @param {string} expId @param {string} name @param {number} n
 * @param {(versions: number) => void} progress
 */
async function seedModel(c, expId, name, n, progress) {
  try {
    const { registered_model: rm } = await c.get('registered-models/get', { name });
    if ((rm.tags ?? []).some((/** @type {any} */ t) => t.key === 'bench.complete')) return progress(n);
    await c.call(/** @type {any} */ ('DELETE'), `${API}/registered-models/delete`, { name });
  } catch (e) {
    if (!(e instanceof HttpError) || e.status !== 404) throw e;
  }
  await c.post('registered-models/create', { name, description: `bench model ${name}` });
  let run = '';
  for (let v = 1; v <= n; v++) {
    if ((v - 1) % PER_RUN === 0) {
      const created = await c.post('runs/create', { experiment_id: expId, run_name: `${name}-r${(v - 1) / PER_RUN}`, start_time: Date.now(), user_id: 'bench' });
      run = created.run.info.run_id;
    }
    await c.post('model-versions/create', { name, source: `s3://bench-registry/${name}/${v}`, run_id: run, description: `v${v}` });
    if (v % 100 === 0) progress(100);
  }
  progress(n % 100);
  await c.post('registered-models/alias', { name, alias: ALIAS, version: String(n) });
  await c.post('registered-models/set-tag', { name, key: 'bench.complete', value: 'true' });
}

/** A body parsed, or an OpError naming the endpoint. @param {import('./http.mjs').Reply} r @param {string} what */
function json(r, what) {
  expectOk(r, what);
  try {
    return parseJson(r.body);
  } catch {
    throw new OpError(0, `${what}: response is not JSON`);
  }
}

/** Deterministic picks: the i-th operation looks at model pick(i). */
const pick = (/** @type {number} */ i, /** @type {number} */ n) => (Math.abs(i) * 7919 + 13) % n;

/** @type {import('./workloads.mjs').Workload[]} */
export const REGISTRY_WORKLOADS = [
  {
    id: 'R1',
    title: 'get registered model',
    needs: 'registry',
    clients: 1,
    unit: 'requests',
    maxOps: { full: 2000, quick: 300 },
    warmupOps: 5,
    target: { text: 'p50 ≤ 10 ms', pass: (s) => s.p50 <= 10 },
    async prepare(ctx) {
      return async (_client, i) => {
        const name = modelName(pick(i, MODELS));
        const r = await ctx.client.request('GET', `${API}/registered-models/get${qs({ name })}`);
        const body = json(r, 'registered-models/get');
        if (body.registered_model?.name !== name) throw new OpError(0, `registered-models/get: not ${name}`);
        return { ms: r.ms, bytes: r.body.length };
      };
    },
  },
  {
    id: 'R2',
    title: 'get model version',
    needs: 'registry',
    clients: 1,
    unit: 'requests',
    maxOps: { full: 2000, quick: 300 },
    warmupOps: 5,
    target: { text: 'p50 ≤ 10 ms', pass: (s) => s.p50 <= 10 },
    async prepare(ctx) {
      return async (_client, i) => {
        const name = modelName(pick(i, MODELS));
        const version = String(1 + pick(i * 31, VERSIONS));
        const r = await ctx.client.request('GET', `${API}/model-versions/get${qs({ name, version })}`);
        const body = json(r, 'model-versions/get');
        if (body.model_version?.name !== name || String(body.model_version?.version) !== version) {
          throw new OpError(0, `model-versions/get: not ${name} v${version}`);
        }
        return { ms: r.ms, bytes: r.body.length };
      };
    },
  },
  {
    id: 'R3',
    title: 'get model version by alias',
    needs: 'registry',
    clients: 1,
    unit: 'requests',
    maxOps: { full: 2000, quick: 300 },
    warmupOps: 5,
    target: { text: 'p50 ≤ 10 ms', pass: (s) => s.p50 <= 10 },
    async prepare(ctx) {
      return async (_client, i) => {
        const name = modelName(pick(i, MODELS));
        const r = await ctx.client.request('GET', `${API}/registered-models/alias${qs({ name, alias: ALIAS })}`);
        const body = json(r, 'registered-models/alias');
        if (String(body.model_version?.version) !== String(VERSIONS)) throw new OpError(0, `registered-models/alias: ${name}@${ALIAS} is not v${VERSIONS}`);
        return { ms: r.ms, bytes: r.body.length };
      };
    },
  },
  {
    id: 'R4',
    title: "search_registered_models: name LIKE 'prefix%' (10 of 1,001)",
    needs: 'registry',
    clients: 1,
    unit: 'queries',
    maxOps: { full: 1000, quick: 200 },
    warmupOps: 3,
    target: { text: 'p50 ≤ 50 ms', pass: (s) => s.p50 <= 50 },
    async prepare(ctx) {
      return async (_client, i) => {
        // bench-reg-v1-m012% matches m0120…m0129
        const prefix = modelName(pick(i, MODELS)).slice(0, -1);
        const r = await ctx.client.request('GET', `${API}/registered-models/search${qs({ filter: `name LIKE '${prefix}%'`, max_results: 100 })}`);
        const body = json(r, 'registered-models/search');
        const models = body.registered_models ?? [];
        if (models.length !== 10 || models.some((/** @type {any} */ m) => !m.name.startsWith(prefix))) {
          throw new OpError(0, `registered-models/search: ${models.length} models for ${prefix}%, expected 10`);
        }
        return { ms: r.ms, bytes: r.body.length };
      };
    },
  },
  {
    id: 'R5',
    title: "search_model_versions: run_id = '…' (10 of 105,000)",
    needs: 'registry',
    clients: 1,
    unit: 'queries',
    maxOps: { full: 1000, quick: 200 },
    warmupOps: 3,
    target: { text: 'p50 ≤ 50 ms', pass: (s) => s.p50 <= 50 },
    async prepare(ctx) {
      // 50 run ids, each behind versions 10k+1…10k+10 of one model (looked up before measuring)
      const runs = await Promise.all(
        Array.from({ length: 50 }, async (_, k) => {
          const { model_version: mv } = await ctx.client.get('model-versions/get', { name: modelName(pick(k, MODELS)), version: String(1 + PER_RUN * (k % 10)) });
          return /** @type {string} */ (mv.run_id);
        }),
      );
      return async (_client, i) => {
        const runId = runs[Math.abs(i) % runs.length];
        const r = await ctx.client.request('GET', `${API}/model-versions/search${qs({ filter: `run_id = '${runId}'` })}`);
        const body = json(r, 'model-versions/search');
        const versions = body.model_versions ?? [];
        if (versions.length !== PER_RUN || versions.some((/** @type {any} */ v) => v.run_id !== runId)) {
          throw new OpError(0, `model-versions/search: ${versions.length} versions of run ${runId}, expected ${PER_RUN}`);
        }
        return { ms: r.ms, bytes: r.body.length };
      };
    },
  },
  {
    id: 'R6',
    title: `search_model_versions: name = '${BIG}', the client's first page (5,000 versions)`,
    needs: 'registry',
    clients: 1,
    unit: 'pages',
    maxOps: { full: 300, quick: 50 },
    warmupOps: 2,
    target: { text: 'p50 ≤ 100 ms', pass: (s) => s.p50 <= 100 },
    async prepare(ctx) {
      // what MlflowClient.search_model_versions("name='…'") sends: max_results=10000, one page
      const path = `${API}/model-versions/search${qs({ filter: `name = '${BIG}'`, max_results: 10000 })}`;
      return async () => {
        const r = await ctx.client.request('GET', path);
        const body = json(r, 'model-versions/search');
        const n = body.model_versions?.length ?? 0;
        if (n !== BIG_VERSIONS) throw new OpError(0, `model-versions/search: ${n} versions of ${BIG}, expected ${BIG_VERSIONS}`);
        return { ms: r.ms, bytes: r.body.length };
      };
    },
  },
];
