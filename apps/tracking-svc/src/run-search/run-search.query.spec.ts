import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runsGrammar } from '@cairn/search-filter';
import type { RunSearchQuery } from './run-search.query';
import { compileRunSearch, METRIC_INDEX_WALK_MAX_ROWS } from './run-search.query';

function compile(filter: string | null, orderBy: string[] = [], scope: Partial<RunSearchQuery> = {}) {
  const { text, values } = compileRunSearch({
    experimentIds: ['7'],
    stages: ['active'],
    clauses: runsGrammar.parseFilter(filter),
    order: runsGrammar.resolveOrderBy(orderBy),
    limit: 101,
    offset: 0,
    ...scope,
  });
  return { sql: text.replace(/\s+/g, ' ').trim(), values };
}

/** The condition a filter adds after the scope ($1 experiment, $2 stage), and its values. */
function where(filter: string) {
  const { sql, values } = compile(filter);
  const match = /WHERE r\.experiment_id = \$1::bigint AND r\.lifecycle_stage = \$2 AND (.*) ORDER BY/.exec(sql);
  assert.ok(match, sql);
  return { sql: match[1], values: values.slice(2, -2) };
}

describe('compileRunSearch: scope and paging', () => {
  it('reads one experiment in the runs index order by default', () => {
    const { sql, values } = compile(null);
    assert.equal(
      sql,
      'SELECT r.run_id FROM tracking.runs r WHERE r.experiment_id = $1::bigint AND r.lifecycle_stage = $2 ' +
        'ORDER BY r.start_time DESC, r.run_uuid ASC LIMIT $3 OFFSET $4',
    );
    assert.deepEqual(values, ['7', 'active', 101, 0]);
  });

  it('takes several experiments as one array and drops the stage condition for ALL', () => {
    const { sql, values } = compile(null, [], { experimentIds: ['1', '2'], stages: ['active', 'deleted'], offset: 202 });
    assert.match(sql, /WHERE r\.experiment_id = ANY\(\$1::bigint\[\]\) ORDER BY/);
    assert.deepEqual(values, [['1', '2'], 101, 202]);
  });

  it('selects deleted runs only for DELETED_ONLY', () => {
    assert.deepEqual(compile(null, [], { stages: ['deleted'] }).values.slice(0, 2), ['7', 'deleted']);
  });
});

describe('compileRunSearch: filters', () => {
  it('compares the latest metric value, never matching NaN except with !=', () => {
    assert.deepEqual(where('metrics.rmse < 0.5'), {
      sql:
        'EXISTS (SELECT 1 FROM tracking.latest_metrics f1 WHERE f1.run_id = r.run_id AND (f1.key = $3 AND ' +
        "(f1.value < $4::double precision AND f1.value <> 'NaN'::double precision)))",
      values: ['rmse', 0.5],
    });
    assert.match(where('metrics.rmse != 1').sql, /\(f1\.key = \$3 AND f1\.value <> \$4::double precision\)\)$/);
  });

  it('compiles = on a param or tag through the partial (key, value) index, restating its predicate', () => {
    assert.deepEqual(where("params.alpha = '0.1'"), {
      sql:
        'EXISTS (SELECT 1 FROM tracking.params f1 WHERE f1.run_id = r.run_id AND ' +
        '(f1.key = $3 AND f1.value = $4::text AND octet_length(f1.value) <= 1000))',
      values: ['alpha', '0.1'],
    });
    // 1000 bytes fit the index; 1001 (here 334 three-byte characters) do not
    assert.match(where(`tags.note = '${'x'.repeat(1000)}'`).sql, /AND octet_length\(f1\.value\) <= 1000\)\)$/);
    const long = '€'.repeat(334);
    assert.deepEqual(where(`tags.note = '${long}'`), {
      sql: 'EXISTS (SELECT 1 FROM tracking.tags f1 WHERE f1.run_id = r.run_id AND (f1.key = $3 AND f1.value = $4::text))',
      values: ['note', long],
    });
  });
  it('needs the tag or param row for != and the LIKE family', () => {
    for (const [filter, op] of [
      ["tags.t != 'x'", '<>'],
      ["params.p LIKE 'a%'", 'LIKE'],
      ["tags.`my tag` ILIKE 'A%'", 'ILIKE'],
    ] as const) {
      const { sql } = where(filter);
      assert.match(sql, new RegExp(`^EXISTS \\(SELECT 1 FROM tracking\\.(tags|params) f1 WHERE f1\\.run_id = r\\.run_id AND \\(f1\\.key = \\$3 AND f1\\.value ${op} \\$4\\)\\)$`), filter);
    }
    assert.deepEqual(where("tags.`my tag` ILIKE 'A%'").values, ['my tag', 'A%']);
  });

  it('tests only the key for IS NULL and IS NOT NULL', () => {
    assert.equal(where('tags.t IS NULL').sql, 'NOT EXISTS (SELECT 1 FROM tracking.tags f1 WHERE f1.run_id = r.run_id AND f1.key = $3)');
    assert.equal(where('params.p IS NOT NULL').sql, 'EXISTS (SELECT 1 FROM tracking.params f1 WHERE f1.run_id = r.run_id AND f1.key = $3)');
  });

  it('filters run_name on runs.name, which Cairn keeps equal to the mlflow.runName tag', () => {
    assert.deepEqual(where("attributes.`Run Name` LIKE 'train-%'"), { sql: 'r.name LIKE $3', values: ['train-%'] });
  });

  it('compares run_id = and IN through the unique index, dropping values no run id can equal', () => {
    assert.deepEqual(where("run_id = 'abc'"), { sql: 'r.run_uuid = ANY($3::bpchar[])', values: [['abc']] });
    assert.deepEqual(where("attributes.run_id IN ('a', 'b ')").values, [['a']]);
    assert.deepEqual(where("run_id NOT IN ('a', 'b ')"), { sql: 'NOT (r.run_uuid::text = ANY($3::text[]))', values: [['a', 'b ']] });
    assert.deepEqual(where("run_id != 'a '"), { sql: 'r.run_uuid::text <> $3::text', values: ['a '] });
  });

  it('casts numeric attributes by the value written', () => {
    assert.deepEqual(where('start_time >= 1700000000000 AND end_time < 1.5'), {
      sql: 'r.start_time >= $3::bigint AND r.end_time < $4::double precision',
      values: [1700000000000, 1.5],
    });
  });

  it('matches datasets by name or digest, and context through the mlflow.data.context input tag', () => {
    assert.deepEqual(where("datasets.digest IN ('d1', 'd2')"), {
      sql:
        'EXISTS (SELECT 1 FROM tracking.run_inputs f1i JOIN tracking.datasets f1d ON f1d.dataset_id = f1i.dataset_id ' +
        'WHERE f1i.run_id = r.run_id AND f1d.digest = ANY($3::text[]))',
      values: [['d1', 'd2']],
    });
    assert.deepEqual(where("dataset.context = 'train'"), {
      sql:
        'EXISTS (SELECT 1 FROM tracking.run_inputs f1i, jsonb_array_elements(f1i.tags) AS f1t(tag) WHERE f1i.run_id = r.run_id ' +
        "AND f1t.tag ->> 'key' = 'mlflow.data.context' AND f1t.tag ->> 'value' = $3::text)",
      values: ['train'],
    });
  });

  it('ANDs clauses with their own aliases and placeholders', () => {
    const { sql, values } = where("metrics.a > 1 AND metrics.b <= 2 AND status = 'FINISHED'");
    assert.match(sql, /latest_metrics f1 .* AND EXISTS \(SELECT 1 FROM tracking\.latest_metrics f2 .* AND r\.status = \$7$/);
    assert.deepEqual(values, ['a', 1, 'b', 2, 'FINISHED']);
  });
});

describe('compileRunSearch: order', () => {
  it('joins params and tags for ordering, strings by code point, missing values last', () => {
    const { sql, values } = compile(null, ['params.model DESC', 'user_id']);
    assert.equal(
      sql,
      'SELECT r.run_id FROM tracking.runs r LEFT JOIN tracking.params o1 ON o1.run_id = r.run_id AND o1.key = $3 ' +
        'WHERE r.experiment_id = $1::bigint AND r.lifecycle_stage = $2 ' +
        'ORDER BY o1.value COLLATE "C" DESC NULLS LAST, r.user_id COLLATE "C" ASC NULLS LAST, r.start_time DESC, r.run_uuid ASC ' +
        'LIMIT $4 OFFSET $5',
    );
    assert.deepEqual(values, ['7', 'active', 'model', 101, 0]);
  });

  it('keeps the caller start_time direction and adds only the run_id tie-breaker', () => {
    assert.match(compile(null, ['start_time ASC']).sql, /ORDER BY r\.start_time ASC, r\.run_uuid ASC LIMIT/);
    assert.match(compile(null, ['run_name']).sql, /ORDER BY r\.name COLLATE "C" ASC, r\.start_time DESC, r\.run_uuid ASC LIMIT/);
  });

  it('walks a leading metric by value: numbers, then NaN, then runs without it', () => {
    const { sql, values } = compile("params.p = 'x'", ['metrics.rmse DESC']);
    assert.deepEqual(values, ['7', 'active', 'p', 'x', 'rmse', 101, 101, 0]);
    const numbers =
      '(SELECT r.run_id, 0 AS g, o1.value AS k1, r.start_time AS k2, r.run_uuid AS k3 ' +
      'FROM tracking.latest_metrics o1 JOIN tracking.runs r ON r.run_id = o1.run_id ' +
      "WHERE o1.key = $5 AND o1.value < 'NaN'::double precision AND r.experiment_id = $1::bigint AND r.lifecycle_stage = $2 AND EXISTS";
    assert.ok(sql.startsWith(`WITH present AS MATERIALIZED ( ${numbers}`), sql);
    assert.match(sql, /ORDER BY o1\.value DESC, r\.start_time DESC, r\.run_uuid ASC LIMIT \$6\) UNION ALL \(SELECT r\.run_id, 1 AS g/);
    assert.match(sql, /o1\.value = 'NaN'::double precision .* ORDER BY r\.start_time DESC, r\.run_uuid ASC LIMIT \$6\)\)/);
    assert.match(
      sql,
      /SELECT r\.run_id, 2 AS g, NULL::double precision AS k1, .* FROM tracking\.runs r WHERE NOT EXISTS \(SELECT 1 FROM tracking\.latest_metrics o1 WHERE o1\.run_id = r\.run_id AND o1\.key = \$5\)/,
    );
    assert.match(sql, /LIMIT greatest\(0, \$6 - \(SELECT count\(\*\) FROM present\)\)\)\) page/);
    assert.ok(sql.endsWith('ORDER BY page.g, page.k1 DESC, page.k2 DESC, page.k3 ASC LIMIT $7 OFFSET $8'), sql);
  });

  it('projects later order terms so the page keeps their order', () => {
    const { sql } = compile(null, ['metrics.a', 'metrics.b DESC', 'tags.t']);
    assert.match(sql, /LEFT JOIN tracking\.latest_metrics o2 ON o2\.run_id = r\.run_id AND o2\.key = \$4 LEFT JOIN tracking\.tags o3/);
    assert.ok(
      sql.endsWith(
        "ORDER BY page.g, page.k1 ASC, (page.k2 = 'NaN'::double precision) ASC NULLS LAST, page.k2 DESC NULLS LAST, " +
          'page.k3 COLLATE "C" ASC NULLS LAST, page.k4 DESC, page.k5 ASC LIMIT $7 OFFSET $8',
      ),
      sql,
    );
  });

  it('sorts the whole scope once when the page lies deep', () => {
    const { sql, values } = compile(null, ['metrics.rmse'], { offset: METRIC_INDEX_WALK_MAX_ROWS });
    assert.equal(
      sql,
      'SELECT r.run_id FROM tracking.runs r LEFT JOIN tracking.latest_metrics o1 ON o1.run_id = r.run_id AND o1.key = $3 ' +
        'WHERE r.experiment_id = $1::bigint AND r.lifecycle_stage = $2 ' +
        'ORDER BY o1.value ASC NULLS LAST, r.start_time DESC, r.run_uuid ASC LIMIT $4 OFFSET $5',
    );
    assert.deepEqual(values, ['7', 'active', 'rmse', 101, METRIC_INDEX_WALK_MAX_ROWS]);
  });
});
