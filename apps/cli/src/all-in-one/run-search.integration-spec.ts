import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { encodePageToken } from '@cairn/search-filter';
import { httpClient } from '@cairn/testing';
import type { TestServer } from './test-server';
import { startTestServer } from './test-server';

// search-runs through the whole all-in-one stack on real PostgreSQL. Runs are arranged with SQL,
// so each case states exactly what is stored (latest metrics, NaN, missing keys, dataset inputs).
interface Seed {
  name: string;
  start: number;
  end?: number;
  user?: string;
  status?: string;
  stage?: 'active' | 'deleted';
  params?: Record<string, string>;
  tags?: Record<string, string>;
  metrics?: Record<string, number>;
  datasets?: { name: string; digest: string; context?: string }[];
}

describe('MLflow search-runs (all-in-one, real PostgreSQL)', () => {
  let server: TestServer;
  let api: ReturnType<typeof httpClient>;
  let db: Pool;
  const S = '/api/2.0/mlflow/runs/search';

  const createExperiment = async () =>
    (await api.post('/api/2.0/mlflow/experiments/create', { name: `search-${randomUUID()}` })).json.experiment_id as string;

  async function seedRun(experimentId: string, run: Seed): Promise<string> {
    const uuid = randomUUID().replace(/-/g, '');
    const { rows } = await db.query<{ run_id: string }>(
      `INSERT INTO tracking.runs (run_uuid, experiment_id, name, user_id, status, start_time, end_time, artifact_uri, lifecycle_stage)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING run_id`,
      [uuid, experimentId, run.name, run.user ?? null, run.status ?? 'FINISHED', run.start, run.end ?? null,
        `mlflow-artifacts:/${experimentId}/${uuid}/artifacts`, run.stage ?? 'active'],
    );
    const id = rows[0].run_id;
    const keyValues = async (table: string, entries: Record<string, string>) =>
      db.query(`INSERT INTO tracking.${table} (run_id, key, value) SELECT $1, unnest($2::text[]), unnest($3::text[])`, [
        id, Object.keys(entries), Object.values(entries)]);
    await keyValues('params', run.params ?? {});
    await keyValues('tags', { 'mlflow.runName': run.name, ...run.tags });
    for (const [key, value] of Object.entries(run.metrics ?? {})) {
      await db.query(`INSERT INTO tracking.latest_metrics (run_id, key, timestamp, step, value) VALUES ($1, $2, 5, 1, $3)`, [id, key, value]);
    }
    for (const d of run.datasets ?? []) {
      const { rows: ds } = await db.query<{ dataset_id: string }>(
        `INSERT INTO tracking.datasets (experiment_id, name, digest, source_type, source) VALUES ($1, $2, $3, 'local', '{}')
         ON CONFLICT (experiment_id, name, digest) DO UPDATE SET source = excluded.source RETURNING dataset_id`,
        [experimentId, d.name, d.digest]);
      const tags = d.context ? [{ key: 'mlflow.data.context', value: d.context }] : [];
      await db.query(`INSERT INTO tracking.run_inputs (run_id, dataset_id, tags) VALUES ($1, $2, $3)`, [id, ds[0].dataset_id, JSON.stringify(tags)]);
    }
    return uuid;
  }

  /** Many runs at once: start_time `g % 100` (ties everywhere), metric m = `g % 37`, NaN every 50th, missing every 7th. */
  async function seedMany(experimentId: string, count: number): Promise<Row[]> {
    await db.query(
      `INSERT INTO tracking.runs (run_uuid, experiment_id, name, status, start_time, artifact_uri)
       SELECT md5($1::text || g), $1::bigint, 'run-' || g, 'FINISHED', g % 100, 's3://b/' || g FROM generate_series(1, $2::int) g`,
      [experimentId, count]);
    await db.query(
      `INSERT INTO tracking.latest_metrics (run_id, key, timestamp, step, value)
       SELECT run_id, 'm', 0, 0, CASE WHEN substr(name, 5)::int % 50 = 0 THEN 'NaN'::float8 ELSE substr(name, 5)::int % 37 END
       FROM tracking.runs WHERE experiment_id = $1 AND substr(name, 5)::int % 7 <> 0`, [experimentId]);
    // A bulk load leaves no statistics until autovacuum comes by; plan as a server that has them would.
    await db.query('ANALYZE tracking.runs, tracking.latest_metrics');
    const { rows } = await db.query<{ run_uuid: string; start_time: string; value: number | null }>(
      `SELECT r.run_uuid, r.start_time, m.value FROM tracking.runs r
       LEFT JOIN tracking.latest_metrics m ON m.run_id = r.run_id AND m.key = 'm' WHERE r.experiment_id = $1`, [experimentId]);
    return rows.map((r) => ({ id: r.run_uuid, start: Number(r.start_time), m: r.value === null ? null : Number(r.value) }));
  }

  const search = async (body: Record<string, unknown>, path = S) => {
    const res = await api.post(path, body);
    assert.equal(res.status, 200, res.text);
    return res.json as { runs?: { info: Record<string, any>; data: Record<string, any>; inputs: Record<string, any> }[]; next_page_token?: string };
  };
  const allPages = async (body: Record<string, unknown>) => {
    const ids: string[] = [];
    const sizes: number[] = [];
    let token: string | undefined;
    do {
      const page = await search({ ...body, ...(token && { page_token: token }) });
      sizes.push(page.runs?.length ?? 0);
      ids.push(...(page.runs ?? []).map((r) => r.info.run_id as string));
      token = page.next_page_token;
    } while (token);
    return { ids, sizes };
  };
  type Row = { id: string; start: number; m: number | null };
  const byStartThenId = (a: Omit<Row, 'm'>, b: Omit<Row, 'm'>) => b.start - a.start || (a.id < b.id ? -1 : 1);
  /** MLflow's order by metric m: numbers (either direction), then NaN, then runs without m; ties newest first, then by id. */
  const group = (m: number | null) => (m === null ? 2 : Number.isNaN(m) ? 1 : 0);
  const byMetric = (desc: boolean) => (a: Row, b: Row) =>
    group(a.m) - group(b.m) || (group(a.m) === 0 ? ((a.m ?? 0) - (b.m ?? 0)) * (desc ? -1 : 1) : 0) || byStartThenId(a, b);
  const rejects = async (body: Record<string, unknown>, message: RegExp | string) => {
    const res = await api.post(S, body);
    assert.equal(res.status, 400, res.text);
    assert.equal(res.json.error_code, 'INVALID_PARAMETER_VALUE');
    if (typeof message === 'string') assert.equal(res.json.message, message);
    else assert.match(res.json.message, message);
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

  describe('one experiment with every kind of value', () => {
    let exp: string;
    const id: Record<string, string> = {};
    const names = async (filter: string, extra: Record<string, unknown> = {}) =>
      ((await search({ experiment_ids: [exp], filter, ...extra })).runs ?? []).map((r) => r.info.run_name as string);
    const ordered = async (order_by: string[]) =>
      ((await search({ experiment_ids: [exp], order_by })).runs ?? []).map((r) => r.info.run_name as string);

    before(async () => {
      exp = await createExperiment();
      const seeds: Seed[] = [
        { name: 'a', start: 1000, end: 2000, user: 'alice', params: { alpha: '0.1', model: 'Ridge' },
          tags: { team: 'Vision', 'my key': 'x' }, metrics: { rmse: 0.5, acc: 0.9 },
          datasets: [{ name: 'train-set', digest: 'd1', context: 'training' }] },
        { name: 'b', start: 2000, user: 'bob', status: 'RUNNING', params: { alpha: '0.2', model: 'ridge' }, tags: { team: 'vision' },
          metrics: { rmse: 0.2 }, datasets: [{ name: 'eval-set', digest: 'd2', context: 'eval' }] },
        { name: 'c', start: 3000, end: 4000, status: 'FAILED', params: { alpha: '0.1' }, metrics: { rmse: NaN } },
        { name: 'd', start: 4000, end: 5000, user: 'alice', tags: { team: 'nlp' },
          datasets: [{ name: 'train-set', digest: 'd1', context: 'training' }, { name: 'other', digest: 'd3' }] },
        { name: 'e', start: 5000, stage: 'deleted', params: { alpha: '0.1' }, metrics: { rmse: 0.1 } },
      ];
      for (const s of seeds) id[s.name] = await seedRun(exp, s);
    });

    it('returns full runs in MLflow JSON, newest first', async () => {
      const page = await search({ experiment_ids: [exp] });
      const runs = page.runs ?? [];
      assert.equal(page.next_page_token, undefined);
      assert.deepEqual(runs.map((r) => r.info.run_name), ['d', 'c', 'b', 'a']);
      const a = runs[3];
      assert.deepEqual(a.info, {
        run_id: id.a, run_uuid: id.a, run_name: 'a', experiment_id: exp, user_id: 'alice', status: 'FINISHED', start_time: 1000,
        end_time: 2000, artifact_uri: `mlflow-artifacts:/${exp}/${id.a}/artifacts`, lifecycle_stage: 'active' });
      assert.deepEqual(a.data.metrics, [{ key: 'acc', value: 0.9, timestamp: 5, step: 1 }, { key: 'rmse', value: 0.5, timestamp: 5, step: 1 }]);
      assert.deepEqual(a.data.params, [{ key: 'alpha', value: '0.1' }, { key: 'model', value: 'Ridge' }]);
      assert.equal(a.inputs.dataset_inputs[0].dataset.name, 'train-set');
      assert.equal(runs[1].data.metrics[0].value, 'NaN');
    });

    it('compares metrics with their latest value; NaN matches only !=, a missing metric nothing', async () => {
      assert.deepEqual(await names('metrics.rmse < 0.3'), ['b']);
      assert.deepEqual(await names('metrics.rmse > 0'), ['b', 'a']);
      assert.deepEqual(await names('metrics.rmse >= 0.5'), ['a']);
      assert.deepEqual(await names('metrics.rmse <= 0.5'), ['b', 'a']);
      assert.deepEqual(await names('metric.rmse = 0.2'), ['b']);
      assert.deepEqual(await names('metrics.rmse != 0.2'), ['c', 'a']);
      assert.deepEqual(await names("metrics.rmse < 1 AND params.alpha = '0.1'"), ['a']);
    });

    it('compares params and tags as strings: LIKE is case-sensitive, ILIKE is not, != needs the key', async () => {
      assert.deepEqual(await names("params.alpha = '0.1'"), ['c', 'a']);
      assert.deepEqual(await names("params.alpha != '0.1'"), ['b']);
      assert.deepEqual(await names("param.alpha LIKE '0._'"), ['c', 'b', 'a']);
      assert.deepEqual(await names("params.model LIKE 'r%'"), ['b']);
      assert.deepEqual(await names("params.model ILIKE 'R%'"), ['b', 'a']);
      assert.deepEqual(await names("tags.team = 'vision'"), ['b']);
      assert.deepEqual(await names("tags.team like 'V%'"), ['a']);
      assert.deepEqual(await names("tags.team ILIKE 'VISION'"), ['b', 'a']);
      assert.deepEqual(await names("tags.team != 'nlp'"), ['b', 'a']);
      assert.deepEqual(await names('tags.team IS NULL'), ['c']);
      assert.deepEqual(await names('params.model IS NOT NULL'), ['b', 'a']);
    });

    it('takes quoted identifiers for keys with dots and spaces', async () => {
      assert.deepEqual(await names("tags.`my key` = 'x'"), ['a']);
      assert.deepEqual(await names(`tags."my key" = 'x'`), ['a']);
      assert.deepEqual(await names("tags.`mlflow.runName` = 'b'"), ['b']);
    });

    it('filters on attributes, run_name as the mlflow.runName tag', async () => {
      assert.deepEqual(await names("attributes.run_name = 'b'"), ['b']);
      assert.deepEqual(await names("`Run Name` LIKE '%'"), ['d', 'c', 'b', 'a']);
      assert.deepEqual(await names("user_id = 'alice'"), ['d', 'a']);
      assert.deepEqual(await names("user_id != 'alice'"), ['b']);
      assert.deepEqual(await names("status != 'FINISHED'"), ['c', 'b']);
      assert.deepEqual(await names(`artifact_uri LIKE '%/${id.a}/%'`), ['a']);
      assert.deepEqual(await names('start_time > 1500'), ['d', 'c', 'b']);
      assert.deepEqual(await names('attributes.created <= 2000'), ['b', 'a']);
      assert.deepEqual(await names('start_time >= 1000.5'), ['d', 'c', 'b']);
      assert.deepEqual(await names('end_time != 4000'), ['d', 'a']);
    });

    it('matches run ids with =, !=, IN and NOT IN', async () => {
      assert.deepEqual(await names(`run_id = '${id.a}'`), ['a']);
      assert.deepEqual(await names(`run_id != '${id.b}'`), ['d', 'c', 'a']);
      assert.deepEqual(await names(`attributes.run_id IN ('${id.a}', '${id.c}', '${id.e}')`), ['c', 'a']);
      assert.deepEqual(await names(`run_id NOT IN ('${id.a}')`), ['d', 'c', 'b']);
      assert.deepEqual(await names(`run_id = '${id.a} '`), []);
    });

    it('matches dataset inputs by name, digest and context', async () => {
      assert.deepEqual(await names("datasets.name = 'train-set'"), ['d', 'a']);
      assert.deepEqual(await names("datasets.name != 'train-set'"), ['d', 'b']);
      assert.deepEqual(await names("dataset.name ILIKE 'TRAIN%'"), ['d', 'a']);
      assert.deepEqual(await names("datasets.digest IN ('d2', 'd3')"), ['d', 'b']);
      assert.deepEqual(await names("datasets.digest NOT IN ('d1')"), ['d', 'b']);
      assert.deepEqual(await names("datasets.context = 'training'"), ['d', 'a']);
      assert.deepEqual(await names("datasets.context LIKE 'ev%'"), ['b']);
    });

    it('orders by metrics, params, tags and attributes with missing values (and NaN) last', async () => {
      assert.deepEqual(await ordered(['metrics.rmse']), ['b', 'a', 'c', 'd']);
      assert.deepEqual(await ordered(['metrics.rmse DESC']), ['a', 'b', 'c', 'd']);
      assert.deepEqual(await ordered(['params.alpha']), ['c', 'a', 'b', 'd']);
      assert.deepEqual(await ordered(['params.alpha DESC']), ['b', 'c', 'a', 'd']);
      assert.deepEqual(await ordered(['tags.team ASC']), ['a', 'd', 'b', 'c']);
      assert.deepEqual(await ordered(['tags.team DESC']), ['b', 'd', 'a', 'c']);
      assert.deepEqual(await ordered(['end_time']), ['a', 'c', 'd', 'b']);
      assert.deepEqual(await ordered(['end_time DESC']), ['d', 'c', 'a', 'b']);
      assert.deepEqual(await ordered(['user_id DESC', 'metrics.acc']), ['b', 'a', 'd', 'c']);
      assert.deepEqual(await ordered(['attributes.start_time ASC']), ['a', 'b', 'c', 'd']);
      assert.deepEqual(await ordered(['attributes.run_name DESC']), ['d', 'c', 'b', 'a']);
    });

    it('selects by run_view_type', async () => {
      assert.deepEqual(await names('', { run_view_type: 'DELETED_ONLY' }), ['e']);
      assert.deepEqual(await names('', { run_view_type: 'ALL' }), ['e', 'd', 'c', 'b', 'a']);
      assert.deepEqual(await names('', { run_view_type: 'ACTIVE_ONLY' }), ['d', 'c', 'b', 'a']);
    });

    it('answers GET with query parameters, and under /ajax-api', async () => {
      const query = `experiment_ids=${exp}&filter=${encodeURIComponent("params.alpha = '0.1'")}&order_by=start_time+ASC&max_results=1`;
      const res = await api.get(`${S}?${query}`);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.json.runs.map((r: any) => r.info.run_name), ['a']);
      assert.ok(res.json.next_page_token);
      const ajax = await search({ experiment_ids: [exp], filter: "tags.team = 'nlp'" }, '/ajax-api/2.0/mlflow/runs/search');
      assert.deepEqual(ajax.runs?.map((r) => r.info.run_name), ['d']);
    });
  });

  it('breaks start_time ties by run id and covers several experiments, unknown ones matching nothing', async () => {
    const [x, y] = [await createExperiment(), await createExperiment()];
    const runs = [
      { id: await seedRun(x, { name: 'x1', start: 7 }), start: 7 },
      { id: await seedRun(x, { name: 'x2', start: 7 }), start: 7 },
      { id: await seedRun(y, { name: 'y1', start: 7 }), start: 7 },
      { id: await seedRun(y, { name: 'y2', start: 9 }), start: 9 },
    ];
    const expected = runs.sort(byStartThenId).map((r) => r.id);
    const found = await search({ experiment_ids: [x, Number(y), '999999', x] });
    assert.deepEqual(found.runs?.map((r) => r.info.run_id), expected);
    assert.deepEqual(await search({ experiment_ids: ['999999'] }), {});
    assert.deepEqual(await search({ experiment_ids: [] }), {});
  });

  it('pages through 2,500 runs, each exactly once, in order; no token after the last page', async () => {
    const exp = await createExperiment();
    const runs = await seedMany(exp, 2500);
    const byDefault = await allPages({ experiment_ids: [exp], max_results: 1000 });
    assert.deepEqual(byDefault.sizes, [1000, 1000, 500]);
    assert.deepEqual(byDefault.ids, [...runs].sort(byStartThenId).map((r) => r.id));
    const exactlyFull = await allPages({ experiment_ids: [exp], max_results: 500 });
    assert.deepEqual(exactlyFull.sizes, [500, 500, 500, 500, 500]);

    for (const desc of [false, true]) {
      const paged = await allPages({ experiment_ids: [exp], max_results: 1000, order_by: [`metrics.m ${desc ? 'DESC' : 'ASC'}`] });
      assert.equal(new Set(paged.ids).size, 2500);
      assert.deepEqual(paged.ids, [...runs].sort(byMetric(desc)).map((r) => r.id), desc ? 'DESC' : 'ASC');
    }
  });

  it('orders the same by a metric on deep pages, which sort the whole scope', async () => {
    const exp = await createExperiment();
    const expected = (await seedMany(exp, 10_050)).sort(byMetric(false)).map((r) => r.id);
    for (const offset of [9_800, 9_899, 9_900, 10_000]) {
      const page = await search({ experiment_ids: [exp], order_by: ['metrics.m'], max_results: 100, page_token: encodePageToken(offset) });
      assert.deepEqual(page.runs?.map((r) => r.info.run_id), expected.slice(offset, offset + 100), `offset ${offset}`);
    }
  });

  describe('bad input', () => {
    it('refuses a bad filter or order_by with 400 naming the clause', async () => {
      await rejects({ filter: "metrics.rmse > 'x'" }, "Expected numeric value type for metric. Found 'x'");
      await rejects({ filter: "params.a < '1'" }, /^Invalid comparator '<' not one of/);
      await rejects({ filter: "tags.a = 'x' OR tags.b = 'y'" }, "Invalid clause(s) in filter string: 'OR'");
      await rejects({ filter: 'experiment_id = 1' }, /^Invalid attribute key 'experiment_id' specified/);
      await rejects({ filter: "status IN ('a')" }, "Only ['run_id'] attributes support comparison with a list of quoted string values.");
      await rejects({ order_by: ['metrics.a', 'metrics.a DESC'] }, /^`order_by` contains duplicate fields/);
    });

    it('checks max_results, page_token and experiment ids', async () => {
      await rejects({ max_results: 50_001 }, /^Invalid value 50001 for parameter 'max_results' supplied/);
      await rejects({ max_results: 0 }, "Invalid value 0 for parameter 'max_results' supplied. It must be a positive integer");
      await rejects({ page_token: 'not-a-token' }, /^Invalid page token/);
      await rejects({ experiment_ids: ['abc'] }, "Invalid experiment ID 'abc'. Experiment ID must be a valid integer.");
      const get = await api.get(`${S}?max_results=50001`);
      assert.equal(get.status, 400, get.text);
      assert.equal((await search({ max_results: 50_000 })).runs, undefined);
    });
  });
});
