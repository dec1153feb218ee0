// The eight workloads of issue 3 (performance part). Each one: what it needs seeded, how many
// clients, its bounds, one operation, and its target.
import { parseJson, qs } from './http.mjs';
import { OpError, expectOk } from './load.mjs';
import { ALPHAS } from './seed.mjs';

/** @typedef {import('./http.mjs').Client} Client */

/**
 * @typedef {object} Target
 * @property {string} text                               shown in the table
 * @property {(s: Summary) => boolean} pass
 */

/**
 * @typedef {object} Summary
 * @property {number} throughput   units per second
 * @property {number} p50
 * @property {number} p95
 * @property {number} p99
 */

/**
 * @typedef {object} Context
 * @property {Client} client
 * @property {string} scratchExperimentId    W1–W3 write here
 * @property {{ experimentId: string, runs: number } | undefined} search
 * @property {{ w7: string, w8: string[], w7Points: number } | undefined} history
 */

/**
 * @typedef {object} Workload
 * @property {string} id
 * @property {string} title
 * @property {'search' | 'history' | 'registry' | undefined} needs
 * @property {number} clients
 * @property {string} unit                 what throughput counts
 * @property {{ full: number, quick: number }} maxOps
 * @property {number} warmupOps            per client
 * @property {Target | undefined} target
 * @property {(ctx: Context, clients: number) => Promise<(client: number, i: number) => Promise<import('./load.mjs').OpResult>>} prepare
 */

const API = '/api/2.0/mlflow';

/** @param {Client} c @param {string} expId @param {string} name */
async function newRun(c, expId, name) {
  const { run } = await c.post('runs/create', { experiment_id: expId, run_name: name, start_time: Date.now(), user_id: 'bench' });
  return /** @type {string} */ (run.info.run_id);
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

/** @type {Workload[]} */
export const WORKLOADS = [
  {
    id: 'W1',
    title: 'create-run',
    needs: undefined,
    clients: 8,
    unit: 'runs',
    maxOps: { full: 30_000, quick: 5_000 },
    warmupOps: 5,
    target: { text: '≥ 1,000 runs/s', pass: (s) => s.throughput >= 1000 },
    async prepare(ctx) {
      return async (client, i) => {
        // the body the Python client sends for mlflow.start_run()
        const r = await ctx.client.request('POST', `${API}/runs/create`, {
          experiment_id: ctx.scratchExperimentId,
          user_id: 'bench',
          run_name: `w1-${client}-${i}`,
          start_time: Date.now(),
          tags: [
            { key: 'mlflow.user', value: 'bench' },
            { key: 'mlflow.source.name', value: 'bench/run.mjs' },
            { key: 'mlflow.source.type', value: 'LOCAL' },
            { key: 'mlflow.runName', value: `w1-${client}-${i}` },
          ],
        });
        const body = json(r, 'runs/create');
        if (typeof body?.run?.info?.run_id !== 'string') throw new OpError(0, 'runs/create: no run.info.run_id');
        return { ms: r.ms };
      };
    },
  },
  {
    id: 'W2',
    title: 'log-batch, 10 metrics',
    needs: undefined,
    clients: 8,
    unit: 'batches',
    maxOps: { full: 30_000, quick: 5_000 },
    warmupOps: 5,
    target: undefined,
    async prepare(ctx, clients) {
      const runs = await Promise.all(Array.from({ length: clients }, (_, k) => newRun(ctx.client, ctx.scratchExperimentId, `w2-${k}`)));
      const steps = new Array(clients).fill(0);
      return async (client) => {
        const step = steps[client]++;
        const now = Date.now();
        const metrics = Array.from({ length: 10 }, (_, k) => ({ key: `m${k}`, value: Math.random(), timestamp: now, step }));
        const r = await ctx.client.request('POST', `${API}/runs/log-batch`, { run_id: runs[client], metrics });
        json(r, 'runs/log-batch');
        return { ms: r.ms };
      };
    },
  },
  {
    id: 'W3',
    title: 'log-batch, 1000 metrics',
    needs: undefined,
    clients: 8,
    unit: 'points',
    maxOps: { full: 3_000, quick: 400 },
    warmupOps: 2,
    target: { text: '≥ 30,000 points/s and p99 ≤ 150 ms', pass: (s) => s.throughput >= 30_000 && s.p99 <= 150 },
    async prepare(ctx, clients) {
      const runs = await Promise.all(Array.from({ length: clients }, (_, k) => newRun(ctx.client, ctx.scratchExperimentId, `w3-${k}`)));
      const steps = new Array(clients).fill(0);
      return async (client) => {
        // 10 keys × 100 steps, as a training loop flushing its buffer would send
        const first = steps[client];
        steps[client] += 100;
        const now = Date.now();
        const metrics = [];
        for (let k = 0; k < 10; k++) {
          for (let s = 0; s < 100; s++) metrics.push({ key: `metric_${k}`, value: Math.random(), timestamp: now + s, step: first + s });
        }
        const r = await ctx.client.request('POST', `${API}/runs/log-batch`, { run_id: runs[client], metrics });
        json(r, 'runs/log-batch');
        return { ms: r.ms, units: metrics.length };
      };
    },
  },
  {
    id: 'W4',
    title: 'search_runs, default order, 1000/page',
    needs: 'search',
    clients: 1,
    unit: 'pages',
    maxOps: { full: 100, quick: 10 },
    warmupOps: 1,
    target: { text: 'p50 ≤ 400 ms per page', pass: (s) => s.p50 <= 400 },
    async prepare(ctx) {
      // walks the pages in order (page tokens), so deep pages count too; wraps at the end
      /** @type {string | undefined} */
      let token;
      const search = /** @type {NonNullable<Context['search']>} */ (ctx.search);
      return async () => {
        const r = await ctx.client.request('POST', `${API}/runs/search`, {
          experiment_ids: [search.experimentId],
          max_results: 1000,
          page_token: token,
        });
        const body = json(r, 'runs/search');
        const n = body.runs?.length ?? 0;
        token = body.next_page_token || undefined;
        if (n !== 1000 && token) throw new OpError(0, `runs/search: ${n} runs on a page that is not the last`);
        if (n === 0) throw new OpError(0, 'runs/search: empty page');
        const first = body.runs[0];
        if (!first.data?.params?.length || !first.data?.metrics?.length) throw new OpError(0, 'runs/search: runs come without params/metrics');
        return { ms: r.ms, bytes: r.body.length };
      };
    },
  },
  {
    id: 'W5',
    title: "search: metrics.rmse < x and params.alpha = 'y', 100/page",
    needs: 'search',
    clients: 1,
    unit: 'queries',
    maxOps: { full: 500, quick: 100 },
    warmupOps: 2,
    target: { text: 'p50 ≤ 50 ms', pass: (s) => s.p50 <= 50 },
    async prepare(ctx) {
      const search = /** @type {NonNullable<Context['search']>} */ (ctx.search);
      const xs = ['0.5', '0.25', '0.75', '0.3'];
      return async (_client, i) => {
        const k = Math.abs(i);
        const alpha = ALPHAS[k % ALPHAS.length];
        const x = xs[k % xs.length];
        const r = await ctx.client.request('POST', `${API}/runs/search`, {
          experiment_ids: [search.experimentId],
          filter: `metrics.rmse < ${x} and params.alpha = '${alpha}'`,
          max_results: 100,
        });
        const body = json(r, 'runs/search');
        const runs = body.runs ?? [];
        if (runs.length === 0 || (runs.length !== 100 && body.next_page_token)) {
          throw new OpError(0, `runs/search: ${runs.length} runs on a page of 100`);
        }
        for (const run of runs) {
          const a = run.data?.params?.find((/** @type {any} */ p) => p.key === 'alpha')?.value;
          const m = run.data?.metrics?.find((/** @type {any} */ p) => p.key === 'rmse')?.value;
          if (a !== alpha || !(m < Number(x))) throw new OpError(0, `runs/search: run ${run.info?.run_id} does not match the filter`);
        }
        return { ms: r.ms, bytes: r.body.length };
      };
    },
  },
  {
    id: 'W6',
    title: 'search: order by a metric, 100/page',
    needs: 'search',
    clients: 1,
    unit: 'queries',
    maxOps: { full: 500, quick: 100 },
    warmupOps: 2,
    target: { text: 'p50 ≤ 50 ms', pass: (s) => s.p50 <= 50 },
    async prepare(ctx) {
      const search = /** @type {NonNullable<Context['search']>} */ (ctx.search);
      const orders = [
        ['rmse', 'ASC'],
        ['rmse', 'DESC'],
        ['mae', 'ASC'],
        ['r2', 'DESC'],
      ];
      return async (_client, i) => {
        const [key, dir] = orders[Math.abs(i) % orders.length];
        const r = await ctx.client.request('POST', `${API}/runs/search`, {
          experiment_ids: [search.experimentId],
          order_by: [`metrics.${key} ${dir}`],
          max_results: 100,
        });
        const body = json(r, 'runs/search');
        const runs = body.runs ?? [];
        if (runs.length !== 100) throw new OpError(0, `runs/search: ${runs.length} runs, expected 100`);
        const vals = runs.map((/** @type {any} */ run) => run.data?.metrics?.find((/** @type {any} */ m) => m.key === key)?.value);
        for (let j = 1; j < vals.length; j++) {
          if (dir === 'ASC' ? vals[j] < vals[j - 1] : vals[j] > vals[j - 1]) throw new OpError(0, `runs/search: not ordered by metrics.${key} ${dir}`);
        }
        return { ms: r.ms, bytes: r.body.length };
      };
    },
  },
  {
    id: 'W7',
    title: 'get-history, 25k-point page of the 1M-point run',
    needs: 'history',
    clients: 1,
    unit: 'points',
    maxOps: { full: 100, quick: 20 },
    warmupOps: 1,
    target: { text: 'p50 ≤ 100 ms', pass: (s) => s.p50 <= 100 },
    async prepare(ctx) {
      // walks the series page by page (page tokens), wrapping at the end
      const h = /** @type {NonNullable<Context['history']>} */ (ctx.history);
      /** @type {string | undefined} */
      let token;
      return async () => {
        const r = await ctx.client.request(
          'GET',
          `${API}/metrics/get-history${qs({ run_id: h.w7, metric_key: 'loss', max_results: 25000, page_token: token })}`,
        );
        const body = json(r, 'metrics/get-history');
        const n = body.metrics?.length ?? 0;
        token = body.next_page_token || undefined;
        if (n !== 25000 && token) throw new OpError(0, `metrics/get-history: ${n} points on a page that is not the last`);
        if (n === 0) throw new OpError(0, 'metrics/get-history: empty page');
        if (!token && n === 25000 && h.w7Points > 25000 && body.metrics[n - 1].step < h.w7Points - 1) {
          throw new OpError(0, 'metrics/get-history: no next_page_token before the end of the series');
        }
        return { ms: r.ms, units: n, bytes: r.body.length };
      };
    },
  },
  {
    id: 'W8',
    title: 'get-history-bulk-interval, 10 runs, 320 points',
    needs: 'history',
    clients: 1,
    unit: 'requests',
    maxOps: { full: 500, quick: 100 },
    warmupOps: 2,
    target: { text: 'p50 ≤ 50 ms', pass: (s) => s.p50 <= 50 },
    async prepare(ctx) {
      // what the UI's run-compare charts send: run_ids repeated, max_results=320 (per run)
      const h = /** @type {NonNullable<Context['history']>} */ (ctx.history);
      const path = `/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval${qs({ run_ids: h.w8, metric_key: 'loss', max_results: 320 })}`;
      return async () => {
        const r = await ctx.client.request('GET', path);
        const body = json(r, 'metrics/get-history-bulk-interval');
        const pts = body.metrics ?? [];
        const runs = new Set(pts.map((/** @type {any} */ m) => m.run_id));
        if (runs.size !== h.w8.length) throw new OpError(0, `get-history-bulk-interval: points of ${runs.size} runs, expected ${h.w8.length}`);
        if (pts.length > 320 * h.w8.length + h.w8.length * 2) throw new OpError(0, `get-history-bulk-interval: ${pts.length} points for max_results=320`);
        return { ms: r.ms, units: 1, bytes: r.body.length };
      };
    },
  },
];
