import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { httpClient } from '@cairn/testing';
import type { TestServer } from './test-server';
import { startTestServer } from './test-server';

type Point = [timestamp: number, step: number, value: number];
interface WirePoint {
  key: string;
  value: number | string;
  timestamp: number;
  step: number;
  run_id?: string;
}

/**
 * MLflow 3.17's get-history-bulk-interval for one run, transliterated from SqlAlchemyStore
 * `_sample_rows_with_window_functions`, as the oracle: the run's points in the window in
 * (step, timestamp, value) order, NTILE(max_results) buckets, the first point of each, then the
 * last point appended (fewer than max_results kept) or put in place of the last kept one.
 */
function mlflowSample(points: readonly Point[], maxResults: number, start?: number, end?: number): Point[] {
  const rows = points.filter((p) => start === undefined || (p[1] >= start && p[1] <= end!)).sort(byStepOrder);
  const n = rows.length;
  const size = Math.floor(n / maxResults);
  const larger = n % maxResults;
  const bucketOf = (i: number) => (i < larger * (size + 1) ? Math.floor(i / (size + 1)) : larger + Math.floor((i - larger * (size + 1)) / size));
  const kept = rows.filter((_, i) => i === 0 || bucketOf(i) !== bucketOf(i - 1));
  const last = rows.at(-1);
  if (last && kept.at(-1) !== last) {
    if (kept.length >= maxResults) kept[kept.length - 1] = last;
    else kept.push(last);
  }
  return kept;
}

const byHistoryOrder = (a: Point, b: Point) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
const byStepOrder = (a: Point, b: Point) => a[1] - b[1] || a[0] - b[0] || a[2] - b[2];

// Metric history (get-history, get-history-bulk, get-history-bulk-interval) through the whole
// all-in-one stack on real PostgreSQL. Long histories are written with SQL: log-batch takes 1000
// points a request, and these tests need tens of thousands.
describe('MLflow metric history (all-in-one, real PostgreSQL)', () => {
  let server: TestServer;
  let api: ReturnType<typeof httpClient>;
  let db: Pool;
  let experimentId: string;
  const M = '/api/2.0/mlflow/metrics';

  const createRun = async () => {
    const res = await api.post('/api/2.0/mlflow/runs/create', { experiment_id: experimentId, start_time: Date.now() });
    assert.equal(res.status, 200, res.text);
    return res.json.run.info.run_id as string;
  };
  const seed = async (runId: string, key: string, points: readonly Point[]) => {
    await db.query(
      `INSERT INTO tracking.metrics (run_id, key, timestamp, step, value)
       SELECT r.run_id, $2, p.timestamp, p.step, p.value
       FROM tracking.runs r, unnest($3::bigint[], $4::bigint[], $5::float8[]) AS p(timestamp, step, value)
       WHERE r.run_uuid = $1`,
      [runId, key, points.map((p) => p[0]), points.map((p) => p[1]), points.map((p) => p[2])],
    );
  };
  const seedSeries = (runId: string, key: string, from: number, to: number, every = 1) =>
    db.query(
      `INSERT INTO tracking.metrics (run_id, key, timestamp, step, value)
       SELECT r.run_id, $2, 1700000000000 + s, s, s * 0.5 FROM tracking.runs r, generate_series($3::bigint, $4::bigint, $5::bigint) s
       WHERE r.run_uuid = $1`,
      [runId, key, from, to, every],
    );
  const query = (params: Record<string, string | number | readonly (string | number)[]>) => {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) {
      for (const v of Array.isArray(value) ? value : [value]) search.append(name, String(v));
    }
    return search.toString();
  };
  const history = (params: Record<string, string | number>) => api.get(`${M}/get-history?${query(params)}`);
  const interval = (params: Record<string, string | number | readonly string[]>, prefix = '/ajax-api/2.0/mlflow/metrics') =>
    api.get(`${prefix}/get-history-bulk-interval?${query(params)}`);
  const bulk = (params: Record<string, string | number | readonly string[]>) =>
    api.get(`/ajax-api/2.0/mlflow/metrics/get-history-bulk?${query(params)}`);
  const asPoints = (metrics: WirePoint[]): Point[] => metrics.map((m) => [m.timestamp, m.step, Number(m.value)]);
  const refusal = (res: { status: number; json: { error_code: string; message: string } }) =>
    `${res.status} ${res.json.error_code}: ${res.json.message}`;

  before(async () => {
    server = await startTestServer();
    api = httpClient(server.url);
    db = new Pool({ connectionString: server.databaseUrl, max: 2 });
    experimentId = (await api.post('/api/2.0/mlflow/experiments/create', { name: `metrics-${randomUUID()}` })).json.experiment_id;
  });
  after(async () => {
    await db.end();
    await server.stop();
  });

  it('pages through a long history: every point once, in (timestamp, step, value) order', async () => {
    const runId = await createRun();
    // 50,001 points whose timestamps repeat and run against the steps, and repeated steps.
    const points: Point[] = [];
    for (let i = 0; i <= 50_000; i++) points.push([1000 + Math.floor((50_000 - i) / 3), i % 7_000, (i * 7919) % 101]);
    await seed(runId, 'loss', points);
    const expected = [...points].sort(byHistoryOrder);

    const pages: WirePoint[][] = [];
    let token: string | undefined;
    do {
      const res = await history({ run_id: runId, metric_key: 'loss', max_results: 25_000, ...(token ? { page_token: token } : {}) });
      assert.equal(res.status, 200, res.text);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
      pages.push(res.json.metrics);
      token = res.json.next_page_token;
    } while (token);
    assert.deepEqual(pages.map((p) => p.length), [25_000, 25_000, 1]);
    assert.deepEqual(asPoints(pages.flat()), expected);
    assert.deepEqual(pages[0]![0], { key: 'loss', value: expected[0]![2], timestamp: expected[0]![0], step: expected[0]![1] });

    // No max_results: the whole history in one answer, no token.
    const all = await history({ run_uuid: runId, metric_key: 'loss' });
    assert.equal(all.json.metrics.length, 50_001);
    assert.ok(!('next_page_token' in all.json));

    // A page that ends exactly at the last point has no token after it; max_results past 25,000 pages by 25,000.
    const first = await history({ run_id: runId, metric_key: 'loss', max_results: 1 });
    const second = await history({ run_id: runId, metric_key: 'loss', max_results: 1_000_000, page_token: first.json.next_page_token });
    assert.equal(second.json.metrics.length, 25_000);
    const last = await history({ run_id: runId, metric_key: 'loss', max_results: 25_000, page_token: second.json.next_page_token });
    assert.equal(last.json.metrics.length, 25_000);
    assert.ok(!('next_page_token' in last.json));
    assert.deepEqual(asPoints(last.json.metrics), expected.slice(25_001));
  });

  it('pages small histories across ties, and accepts a plain MLflow offset token', async () => {
    const runId = await createRun();
    const points: Point[] = [];
    for (let i = 0; i < 23; i++) points.push([5, i % 4, i]);
    await seed(runId, 'tie', points);
    const expected = [...points].sort(byHistoryOrder);
    const seen: Point[] = [];
    let token: string | undefined;
    do {
      const res = await history({ run_id: runId, metric_key: 'tie', max_results: 4, ...(token ? { page_token: token } : {}) });
      seen.push(...asPoints(res.json.metrics));
      token = res.json.next_page_token;
    } while (token);
    assert.deepEqual(seen, expected);

    const mlflowToken = Buffer.from('{"offset": 20}').toString('base64');
    const tail = await history({ run_id: runId, metric_key: 'tie', max_results: 10, page_token: mlflowToken });
    assert.deepEqual(asPoints(tail.json.metrics), expected.slice(20));
  });

  it('answers {} for an empty history, 404 for an unknown run, and refuses bad paging', async () => {
    const runId = await createRun();
    const empty = await history({ run_id: runId, metric_key: 'never-logged' });
    assert.equal(empty.status, 200);
    assert.deepEqual(empty.json, {});

    const unknown = 'f'.repeat(32);
    const docs = 'See the API docs for more information about request parameters.';
    const notFound = await history({ run_id: unknown, metric_key: 'm' });
    assert.equal(refusal(notFound), `404 RESOURCE_DOES_NOT_EXIST: Run with id=${unknown} not found`);
    assert.equal(
      refusal(await history({ metric_key: 'm' })),
      `400 INVALID_PARAMETER_VALUE: Missing value for required parameter 'run_id'. ${docs}`,
    );
    assert.equal(
      refusal(await history({ run_id: runId })),
      `400 INVALID_PARAMETER_VALUE: Missing value for required parameter 'metric_key'. ${docs}`,
    );
    for (const max_results of ['0', '-1', 'ten']) {
      const res = await history({ run_id: runId, metric_key: 'm', max_results });
      assert.equal(res.status, 400, max_results);
      assert.match(res.json.message, /^Invalid value .* for parameter 'max_results' supplied/);
    }
    assert.equal(
      refusal(await history({ run_id: runId, metric_key: 'm', page_token: 'abc' })),
      '400 INVALID_PARAMETER_VALUE: Invalid page token, could not base64-decode',
    );
    const bad = Buffer.from('{"offset": 5, "after": ["1", "x", 0]}').toString('base64');
    assert.equal((await history({ run_id: runId, metric_key: 'm', page_token: bad })).json.error_code, 'INVALID_PARAMETER_VALUE');
  });

  it('returns NaN and infinities as MLflow writes them, on every history route', async () => {
    const runId = await createRun();
    const res = await api.post('/api/2.0/mlflow/runs/log-batch', {
      run_id: runId,
      metrics: [
        { key: 'odd', value: 'NaN', timestamp: 10, step: 0 },
        { key: 'odd', value: 'Infinity', timestamp: 11, step: 1 },
        { key: 'odd', value: '-Infinity', timestamp: 12, step: 2 },
        { key: 'odd', value: 1.5, timestamp: 13, step: 3 },
      ],
    });
    assert.equal(res.status, 200, res.text);
    const values = ['NaN', 'Infinity', '-Infinity', 1.5];
    const paged = await history({ run_id: runId, metric_key: 'odd', max_results: 2 });
    const next = await history({ run_id: runId, metric_key: 'odd', max_results: 2, page_token: paged.json.next_page_token });
    assert.deepEqual([...paged.json.metrics, ...next.json.metrics].map((m: WirePoint) => m.value), values);
    assert.deepEqual((await bulk({ run_id: runId, metric_key: 'odd' })).json.metrics.map((m: WirePoint) => m.value), values);
    assert.deepEqual((await interval({ run_ids: [runId], metric_key: 'odd' })).json.metrics.map((m: WirePoint) => m.value), values);
  });

  it("samples each run on its own as MLflow 3.17 does: NTILE buckets' first points, and the last point", async () => {
    const [a, b] = [await createRun(), await createRun()];
    const pointsA = Array.from({ length: 10 }, (_, s): Point => [100 + s, s, s / 10]);
    const pointsB: Point[] = [[200, 5, 0.5], [201, 7, 0.7], [202, 20, 2], [203, 25, 2.5], [150, 25, 2.4]];
    await seed(a, 'acc', pointsA);
    await seed(b, 'acc', pointsB);

    // A: 10 points in 4 buckets (3, 3, 2, 2): rows 0, 3, 6, then the last (9) in place of row 8.
    // B: 5 points in 4 buckets (2, 1, 1, 1): rows 0, 2, 3 and 4, the last already among them.
    const res = await interval({ run_ids: [b, a], metric_key: 'acc', max_results: 4 });
    assert.equal(res.status, 200, res.text);
    const expectB: Point[] = [[200, 5, 0.5], [202, 20, 2], [150, 25, 2.4], [203, 25, 2.5]];
    const expectA = [0, 3, 6, 9].map((s): Point => [100 + s, s, s / 10]);
    assert.deepEqual(asPoints(res.json.metrics), [...expectB, ...expectA]);
    assert.deepEqual(asPoints(res.json.metrics), [...mlflowSample(pointsB, 4), ...mlflowSample(pointsA, 4)]);
    assert.deepEqual(res.json.metrics[0], { key: 'acc', value: 0.5, timestamp: 200, step: 5, run_id: b });
    assert.equal(res.json.metrics.at(-1).run_id, a);

    // Window [4, 20]: A's steps 4-9 (6 points, 3 buckets of 2: rows 0, 2, then the last), B's 5, 7, 20.
    const windowed = await interval({ run_ids: [a, b], metric_key: 'acc', max_results: 3, start_step: 4, end_step: 20 }, M);
    const steps = (runId: string) => windowed.json.metrics.filter((m: WirePoint) => m.run_id === runId).map((m: WirePoint) => m.step);
    assert.deepEqual(steps(a), [4, 6, 9]);
    assert.deepEqual(steps(b), [5, 7, 20]);

    // Enough room for every point; a run named twice comes twice; unknown runs add nothing.
    const all = await interval({ run_ids: [a, 'f'.repeat(32), a, 'not-a-run'], metric_key: 'acc' });
    assert.equal(all.json.metrics.length, 20);
  });

  it('matches MLflow on irregular steps, repeated steps, windows and sizes', async () => {
    const runs = [await createRun(), await createRun(), await createRun()];
    let seedValue = 7;
    const random = () => (seedValue = (seedValue * 48271) % 2147483647) / 2147483647;
    const pointsOf: Point[][] = [];
    for (const [i, runId] of runs.entries()) {
      const steps = [...new Set(Array.from({ length: 400 + i * 150 }, () => Math.floor(random() * 3000) - 200))];
      // Some steps twice, at two timestamps.
      const points = steps.flatMap((s, j): Point[] => (j % 5 === 0 ? [[s * 2, s, j], [s * 2 + 1, s, j + 0.5]] : [[s * 2, s, j]]));
      pointsOf.push(points);
      await seed(runId, 'irregular', points);
    }
    const cases: [number, number?, number?][] = [[49], [320], [2500], [1], [7, -150, 900], [119, 0, 2799], [3, 2500, 2500]];
    for (const [maxResults, start, end] of cases) {
      const params: Record<string, number | string | readonly string[]> = { run_ids: runs, metric_key: 'irregular' };
      params['max_results'] = maxResults;
      if (start !== undefined) Object.assign(params, { start_step: start, end_step: end! });
      const res = await interval(params);
      assert.equal(res.status, 200, res.text);
      const expected = runs.flatMap((runId, i) => mlflowSample(pointsOf[i]!, maxResults, start, end).map((p) => [runId, ...p]));
      const got = (res.json.metrics ?? []).map((m: WirePoint) => [m.run_id, ...asPoints([m])[0]!]);
      assert.deepEqual(got, expected, `max_results=${maxResults} ${start}..${end}`);
    }
  });

  it("samples long series as MLflow does without ranking every point: 320 of 100,000, not 321", async () => {
    const [dense, shorter, sparse] = [await createRun(), await createRun(), await createRun()];
    // One point per step, as a training loop logs them: the sample is read at its steps only.
    await seedSeries(dense, 'long', 0, 99_999);
    await seedSeries(shorter, 'long', 0, 29_999);
    const pointsOf = (from: number, to: number, every = 1) =>
      Array.from({ length: Math.floor((to - from) / every) + 1 }, (_, i): Point => {
        const s = from + i * every;
        return [1700000000000 + s, s, s * 0.5];
      });
    const res = await interval({ run_ids: [dense, shorter], metric_key: 'long', max_results: 320 });
    assert.equal(res.status, 200, res.text);
    const byRun = (body: { metrics: WirePoint[] }, runId: string) => asPoints(body.metrics.filter((m) => m.run_id === runId));
    assert.equal(byRun(res.json, dense).length, 320);
    assert.deepEqual(byRun(res.json, dense), mlflowSample(pointsOf(0, 99_999), 320));
    assert.deepEqual(byRun(res.json, shorter), mlflowSample(pointsOf(0, 29_999), 320));

    const zoomed = await interval({ run_ids: [dense], metric_key: 'long', max_results: 100, start_step: 5_000, end_step: 250_000 });
    assert.deepEqual(asPoints(zoomed.json.metrics), mlflowSample(pointsOf(0, 99_999), 100, 5_000, 250_000));

    // Every 10th step, then a step logged again out of order: ranked in PostgreSQL, same answer.
    await seedSeries(sparse, 'long', 0, 600_000, 10);
    await seed(sparse, 'long', [[5, 300_000, -1]]);
    const sparsePoints = [...pointsOf(0, 600_000, 10), [5, 300_000, -1] as Point];
    const zoom = await interval({ run_ids: [sparse], metric_key: 'long', max_results: 100, start_step: 5, end_step: 600_005 });
    assert.deepEqual(asPoints(zoom.json.metrics), mlflowSample(sparsePoints, 100, 5, 600_005));
    const { rows } = await db.query(
      `SELECT s.points::int, s.dense FROM tracking.metric_series s JOIN tracking.runs r USING (run_id)
       WHERE r.run_uuid = ANY($1::bpchar[]) AND s.key = 'long' ORDER BY s.points`,
      [[dense, sparse]],
    );
    assert.deepEqual(rows, [{ points: 60_002, dense: false }, { points: 100_000, dense: true }]);
  });

  it('keeps sampling a series by step when its batches arrive out of order, concurrent ones too', async () => {
    const runId = await createRun();
    const series = async () =>
      (
        await db.query<{ points: number; dense: boolean }>(
          `SELECT s.points::int, s.dense FROM tracking.metric_series s JOIN tracking.runs r USING (run_id) WHERE r.run_uuid = $1 AND s.key = 'acc'`,
          [runId],
        )
      ).rows[0];
    const batchOf = (from: number, to: number): Point[] => Array.from({ length: to - from + 1 }, (_, i) => [1_000 + from + i, from + i, (from + i) % 13]);
    const log = (points: readonly Point[]) =>
      api.post('/api/2.0/mlflow/runs/log-batch', { run_id: runId, metrics: points.map(([timestamp, step, value]) => ({ key: 'acc', timestamp, step, value })) });
    const logged: Point[] = [];
    const send = async (points: Point[]) => {
      assert.equal((await log(points)).status, 200);
      logged.push(...points);
    };
    const chart = async () => asPoints((await interval({ run_ids: [runId], metric_key: 'acc', max_results: 7 })).json.metrics);

    // The later batch first, leaving holes; then the batches that fill them.
    for (const [from, to] of [[100, 199], [300, 399], [0, 99], [200, 299]] as const) await send(batchOf(from, to));
    assert.deepEqual(await series(), { points: 400, dense: true });
    assert.deepEqual(await chart(), mlflowSample(logged, 7));

    // Twenty batches of 50 steps each, eight in flight at a time and shuffled, as a thread pool sends them.
    const batches = Array.from({ length: 20 }, (_, k) => batchOf(400 + k * 50, 449 + k * 50)).sort((a, b) => (a[0]![1] * 7919) % 20 - (b[0]![1] * 7919) % 20);
    for (let i = 0; i < batches.length; i += 8) await Promise.all(batches.slice(i, i + 8).map(send));
    assert.deepEqual(await series(), { points: 1_400, dense: true });
    assert.deepEqual(await chart(), mlflowSample(logged, 7));

    // A step that already holds a point gets a second one: no longer dense, still MLflow's answer.
    await send([[5, 150, -1]]);
    assert.deepEqual(await series(), { points: 1_401, dense: false });
    assert.deepEqual(await chart(), mlflowSample(logged, 7));
  });

  it('refuses bulk-interval requests as MLflow does', async () => {
    const runId = await createRun();
    const base = { run_ids: [runId], metric_key: 'm' };
    const docs = 'See the API docs for more information about request parameters.';
    const cases: [Record<string, string | number | readonly string[]>, string][] = [
      [{ metric_key: 'm' }, `Missing value for required parameter 'run_ids'. ${docs}`],
      [{ run_ids: [runId] }, `Missing value for required parameter 'metric_key'. ${docs}`],
      [{ ...base, start_step: 3 }, 'If either start step or end step are specified, both must be specified.'],
      [{ ...base, end_step: 3 }, 'If either start step or end step are specified, both must be specified.'],
      [{ ...base, start_step: 4, end_step: 3 }, 'end_step must be greater than start_step. Found start_step=4 and end_step=3.'],
      [{ ...base, max_results: 0 }, `max_results must be between 1 and 2500. ${docs}`],
      [{ ...base, max_results: 2501 }, `max_results must be between 1 and 2500. ${docs}`],
      [
        { ...base, run_ids: Array.from({ length: 101 }, () => runId) },
        `GetMetricHistoryBulkInterval request must specify at most 100 run_ids. Received 101 run_ids. ${docs}`,
      ],
    ];
    for (const [params, message] of cases) assert.equal(refusal(await interval(params)), `400 INVALID_PARAMETER_VALUE: ${message}`);
    assert.equal((await interval({ ...base, start_step: 'x', end_step: 3 })).json.error_code, 'INVALID_PARAMETER_VALUE');
    assert.deepEqual((await interval({ ...base, start_step: 3, end_step: 3 })).json, {});
  });

  it('serves get-history-bulk: runs in id order, at most max_results points, MLflow errors', async () => {
    const ids = [await createRun(), await createRun()].sort();
    await seed(ids[1]!, 'b', [[3, 0, 1], [1, 1, 2]]);
    await seed(ids[0]!, 'b', [[2, 0, 3], [9, 4, 4], [9, 2, 5]]);
    const res = await bulk({ run_id: [ids[1]!, ids[0]!, 'f'.repeat(32)], metric_key: 'b' });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(
      res.json.metrics.map((m: WirePoint) => [m.run_id, m.timestamp, m.step, m.value]),
      [[ids[0], 2, 0, 3], [ids[0], 9, 2, 5], [ids[0], 9, 4, 4], [ids[1], 1, 1, 2], [ids[1], 3, 0, 1]],
    );
    assert.deepEqual(Object.keys(res.json.metrics[0]).sort(), ['key', 'run_id', 'step', 'timestamp', 'value']);
    assert.equal((await bulk({ run_id: ids, metric_key: 'b', max_results: 4 })).json.metrics.length, 4);
    assert.deepEqual((await bulk({ run_id: ids, metric_key: 'nothing' })).json, { metrics: [] });

    const cases: [Record<string, string | number | readonly string[]>, string][] = [
      [{ metric_key: 'b' }, 'GetMetricHistoryBulk request must specify at least one run_id.'],
      [{ run_id: ids }, 'GetMetricHistoryBulk request must specify a metric_key.'],
      [
        { run_id: Array.from({ length: 101 }, () => ids[0]!), metric_key: 'b' },
        'GetMetricHistoryBulk request cannot specify more than 100 run_ids. Received 101 run_ids.',
      ],
    ];
    for (const [params, message] of cases) assert.equal(refusal(await bulk(params)), `400 INVALID_PARAMETER_VALUE: ${message}`);
  });
});
