import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runsGrammar } from './runs';

const { parseFilter, parseOrderBy, resolveOrderBy } = runsGrammar;
const rejects = (filter: string, message: string) =>
  assert.throws(() => parseFilter(filter), { code: 'INVALID_PARAMETER_VALUE', message });
const rejectsOrder = (items: string[], message: string) =>
  assert.throws(() => parseOrderBy(items), { code: 'INVALID_PARAMETER_VALUE', message });

const RUN_KEYS =
  "'{'Created', 'Run Name', 'Run name', 'artifact_uri', 'created', 'end_time', 'run name', 'run_id', 'run_name', 'start_time', 'status', 'user_id'}'";
const ORDER_KEYS =
  "'{'Created', 'artifact_uri', 'created', 'end_time', 'run_id', 'run_name', 'start_time', 'status', 'user_id'}'";

describe('runsGrammar.parseFilter', () => {
  it('parses a typical filter into typed clauses', () => {
    assert.deepEqual(
      parseFilter("metrics.rmse < 0.5 AND params.alpha = '0.1' AND tags.`mlflow.runName` LIKE 'train%' AND status = 'FINISHED'"),
      [
        { entity: 'metric', key: 'rmse', comparator: '<', value: 0.5 },
        { entity: 'param', key: 'alpha', comparator: '=', value: '0.1' },
        { entity: 'tag', key: 'mlflow.runName', comparator: 'LIKE', value: 'train%' },
        { entity: 'attribute', key: 'status', comparator: '=', value: 'FINISHED' },
      ],
    );
  });

  it('normalises the created and run name aliases', () => {
    assert.deepEqual(
      parseFilter(
        "attributes.created > 5 AND `Created` < 9 AND attributes.`run name` = 'a' AND \"Run name\" = 'b' AND run.`Run Name` = 'c'",
      ).map((c) => c.key),
      ['start_time', 'start_time', 'run_name', 'run_name', 'run_name'],
    );
  });

  it('accepts every searchable attribute', () => {
    assert.deepEqual(
      parseFilter(
        "run_id = 'a' AND run_name = 'b' AND user_id = 'c' AND status = 'd' AND artifact_uri LIKE 's3://%' AND start_time >= 1 AND end_time <= 2",
      ).map((c) => c.key),
      ['run_id', 'run_name', 'user_id', 'status', 'artifact_uri', 'start_time', 'end_time'],
    );
  });

  it('compares metrics and numeric attributes with numbers', () => {
    assert.deepEqual(
      parseFilter('metrics.m >= -1.5e3 AND start_time > 1700000000000 AND end_time != 0').map((c) => c.value),
      [-1500, 1700000000000, 0],
    );
  });

  it('takes IN / NOT IN lists for run_id and datasets', () => {
    assert.deepEqual(parseFilter("attributes.run_id IN ('a', 'b')")[0], {
      entity: 'attribute',
      key: 'run_id',
      comparator: 'IN',
      value: ['a', 'b'],
    });
    assert.deepEqual(parseFilter("run_id not in ('A')")[0]?.value, ['A']);
    assert.deepEqual(parseFilter("datasets.digest IN ('d1', 'd2')")[0]?.value, ['d1', 'd2']);
    assert.deepEqual(parseFilter("dataset.name NOT IN ('x')")[0]?.comparator, 'NOT IN');
  });

  it('filters on datasets by name, digest and context', () => {
    assert.deepEqual(
      parseFilter("datasets.name = 'ds' AND datasets.digest LIKE 'ab%' AND datasets.context = 'train'").map((c) => [
        c.entity,
        c.key,
      ]),
      [
        ['dataset', 'name'],
        ['dataset', 'digest'],
        ['dataset', 'context'],
      ],
    );
  });

  it('takes IS NULL / IS NOT NULL on params and tags only', () => {
    assert.deepEqual(parseFilter('params.p IS NULL AND tags.t is not null').map((c) => [c.comparator, c.value]), [
      ['IS NULL', null],
      ['IS NOT NULL', null],
    ]);
    rejects('metrics.m IS NULL', "IS NULL / IS NOT NULL is only supported for tags and params, not for 'metric' 'm'");
    rejects(
      'run_id IS NOT NULL',
      "IS NULL / IS NOT NULL is only supported for tags and params, not for 'attribute' 'run_id'",
    );
  });

  it('accepts double-quoted string values, as MLflow does', () => {
    assert.equal(parseFilter('params.a = "dq"')[0]?.value, 'dq');
  });

  it('refuses unknown attributes, including experiment_id and lifecycle_stage', () => {
    for (const key of ['experiment_id', 'lifecycle_stage', 'foo']) {
      rejects(`attributes.${key} = 'x'`, `Invalid attribute key '${key}' specified. Valid keys are ${RUN_KEYS}`);
    }
  });

  it('refuses unknown dataset keys', () => {
    rejects("datasets.foo = 'x'", "Invalid dataset key 'foo' specified. Valid keys are '{'context', 'digest', 'name'}'");
  });

  it('refuses values of the wrong type for the key', () => {
    rejects("metrics.m = 'a'", "Expected numeric value type for metric. Found 'a'");
    rejects('metrics.m IN (1,2)', 'Expected numeric value type for metric. Found (1,2)');
    rejects('metrics.m = NaN', 'Expected numeric value type for metric. Found NaN');
    rejects('metrics.m > 1_000', 'Expected numeric value type for metric. Found 1_000');
    rejects('params.p = 1', "Expected a quoted string value for parameter (e.g. 'my-value'). Got value 1");
    rejects("tags.t IN ('a','b')", "Expected a quoted string value for tag (e.g. 'my-value'). Got value ('a','b')");
    rejects('tags.t != NULL', "Expected a quoted string value for tag (e.g. 'my-value'). Got value NULL");
    rejects("start_time > '1000'", "Expected numeric value type for numeric attribute: start_time. Found '1000'");
    rejects('end_time = NULL', 'Expected numeric value type for numeric attribute: end_time. Found NULL');
    rejects('status = 5', 'Expected a quoted string value for attributes. Got value 5');
    rejects('datasets.name = 5', 'Expected a quoted string value for dataset attributes. Got value 5');
    rejects('params.p = a-b', "Expected a quoted string value for parameter (e.g. 'my-value'). Got value a-b");
  });

  it('refuses lists on attributes other than run_id', () => {
    rejects("status IN ('FINISHED')", "Only ['run_id'] attributes support comparison with a list of quoted string values.");
  });

  it('refuses comparators the key does not take', () => {
    rejects('metrics.m LIKE 5', "Invalid comparator 'LIKE' not one of '{'!=', '<', '<=', '=', '>', '>='}'");
    rejects("params.p > 'x'", "Invalid comparator '>' not one of '{'!=', '=', 'ILIKE', 'IS NOT NULL', 'IS NULL', 'LIKE'}'");
    rejects("tags.t NOT LIKE 'x'", "Invalid comparator 'NOT LIKE' not one of '{'!=', '=', 'ILIKE', 'IS NOT NULL', 'IS NULL', 'LIKE'}'");
    rejects("tags.t == 'x'", "Invalid comparator '==' not one of '{'!=', '=', 'ILIKE', 'IS NOT NULL', 'IS NULL', 'LIKE'}'");
    rejects("status > 'x'", "Invalid comparator '>' not one of '{'!=', '=', 'ILIKE', 'IN', 'LIKE', 'NOT IN'}'");
    rejects('start_time LIKE 5', "Invalid comparator 'LIKE' not one of '{'!=', '<', '<=', '=', '>', '>='}'");
    rejects("datasets.name > 'x'", "Invalid comparator '>' not one of '{'!=', '=', 'ILIKE', 'IN', 'LIKE', 'NOT IN'}'");
  });

  it('reports a bad key in a later clause before a bad comparator in an earlier one, like MLflow', () => {
    assert.throws(() => parseFilter("metrics.m LIKE 5 AND attributes.foo = 'x'"), {
      message: /^Invalid attribute key 'foo'/,
    });
  });

  it('quotes each stray token in "Invalid clause(s)"', () => {
    rejects("tags.a = 'x' OR tags.b = 'y'", "Invalid clause(s) in filter string: 'OR'");
  });
});

describe('runsGrammar.parseOrderBy', () => {
  it('orders by metrics, params, tags and attributes', () => {
    assert.deepEqual(parseOrderBy(['metrics.rmse DESC', 'params.alpha', 'tags.`mlflow.runName` ASC', 'status']), [
      { entity: 'metric', key: 'rmse', ascending: false },
      { entity: 'param', key: 'alpha', ascending: true },
      { entity: 'tag', key: 'mlflow.runName', ascending: true },
      { entity: 'attribute', key: 'status', ascending: true },
    ]);
  });

  it('normalises created to start_time', () => {
    assert.deepEqual(parseOrderBy(['Created DESC']), [{ entity: 'attribute', key: 'start_time', ascending: false }]);
  });

  it('refuses attributes that cannot be ordered on, including the run name aliases', () => {
    for (const item of ['name', 'experiment_id', 'timestamp', 'attributes.`run name`']) {
      const key = item === 'attributes.`run name`' ? 'run name' : item;
      rejectsOrder([item], `Invalid attribute key '${key}' specified. Valid keys are ${ORDER_KEYS}`);
    }
  });

  it('refuses datasets', () => {
    rejectsOrder(['datasets.name'], "Invalid identifier type 'dataset'");
  });

  it('refuses a field named twice, aliases included', () => {
    rejectsOrder(['start_time', 'created'], "`order_by` contains duplicate fields: ['start_time', 'created']");
    rejectsOrder(
      ['attributes.start_time DESC', 'start_time'],
      "`order_by` contains duplicate fields: ['attributes.start_time DESC', 'start_time']",
    );
  });

  it('allows the same key under different entities', () => {
    assert.equal(parseOrderBy(['metrics.rmse', 'params.rmse', 'tags.rmse']).length, 3);
  });
});

describe('runsGrammar.resolveOrderBy', () => {
  it('defaults to start_time DESC then run_id ASC', () => {
    assert.deepEqual(resolveOrderBy(undefined), [
      { entity: 'attribute', key: 'start_time', ascending: false },
      { entity: 'attribute', key: 'run_id', ascending: true },
    ]);
  });

  it('appends the defaults after the caller’s terms unless they are there', () => {
    assert.deepEqual(resolveOrderBy(['metrics.rmse']), [
      { entity: 'metric', key: 'rmse', ascending: true },
      { entity: 'attribute', key: 'start_time', ascending: false },
      { entity: 'attribute', key: 'run_id', ascending: true },
    ]);
    assert.deepEqual(resolveOrderBy(['created ASC']), [
      { entity: 'attribute', key: 'start_time', ascending: true },
      { entity: 'attribute', key: 'run_id', ascending: true },
    ]);
  });
});
