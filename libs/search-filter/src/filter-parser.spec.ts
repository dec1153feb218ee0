import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFilter } from './filter-parser';

const rejects = (filter: string, message: string) =>
  assert.throws(() => parseFilter(filter), { code: 'INVALID_PARAMETER_VALUE', message });

describe('parseFilter', () => {
  it('returns no clause for an absent or empty filter', () => {
    assert.deepEqual(parseFilter(undefined), []);
    assert.deepEqual(parseFilter(null), []);
    assert.deepEqual(parseFilter(''), []);
  });

  it('refuses a filter of only whitespace, as MLflow does', () => {
    rejects('   ', "Invalid filter '   '. Could not be parsed.");
  });

  it('parses every comparator', () => {
    const cases: [string, string, unknown][] = [
      ['metrics.m = 1', '=', 1],
      ['metrics.m != 1', '!=', 1],
      ['metrics.m > 1', '>', 1],
      ['metrics.m >= 1', '>=', 1],
      ['metrics.m < 1', '<', 1],
      ['metrics.m <= 1', '<=', 1],
      ["tags.t LIKE 'a%'", 'LIKE', 'a%'],
      ["tags.t ILIKE 'a%'", 'ILIKE', 'a%'],
      ["run_id IN ('a', 'b')", 'IN', ['a', 'b']],
      ["run_id NOT IN ('a')", 'NOT IN', ['a']],
      ['params.p IS NULL', 'IS NULL', null],
      ['params.p IS NOT NULL', 'IS NOT NULL', null],
    ];
    for (const [filter, comparator, value] of cases) {
      const [clause] = parseFilter(filter);
      assert.equal(clause?.comparator, comparator, filter);
      assert.deepEqual(clause?.value, value, filter);
    }
  });

  it('upper-cases comparators and keywords written in lower case', () => {
    assert.deepEqual(
      parseFilter("tags.a like 'x' and tags.b ilike 'y' and run_id not in ('z') and params.p is not null").map(
        (c) => c.comparator,
      ),
      ['LIKE', 'ILIKE', 'NOT IN', 'IS NOT NULL'],
    );
  });

  it('resolves every entity alias', () => {
    const entities = [
      'metric', 'metrics', 'param', 'params', 'parameter', 'parameters', 'tag', 'tags',
      'attribute', 'attributes', 'attr', 'run', 'dataset', 'datasets',
    ].map((prefix) => parseFilter(`${prefix}.k = 'v'`)[0]?.entity);
    assert.deepEqual(entities, [
      'metric', 'metric', 'param', 'param', 'param', 'param', 'tag', 'tag',
      'attribute', 'attribute', 'attribute', 'attribute', 'dataset', 'dataset',
    ]);
  });

  it('takes a bare key as an attribute', () => {
    assert.deepEqual(parseFilter("status = 'RUNNING'"), [
      { entity: 'attribute', key: 'status', comparator: '=', value: 'RUNNING' },
    ]);
  });

  it('unquotes backticked, double-quoted and single-quoted keys', () => {
    assert.deepEqual(
      parseFilter(
        "tags.`mlflow.runName` = 'a' AND metrics.\"my-metric\" > 1 AND params.alpha = 'b' AND metrics.'rmse' < 2 AND `metrics`.x > 0",
      ).map((c) => [c.entity, c.key]),
      [
        ['tag', 'mlflow.runName'],
        ['metric', 'my-metric'],
        ['param', 'alpha'],
        ['metric', 'rmse'],
        ['metric', 'x'],
      ],
    );
  });

  it('keeps dots after the first as part of the key', () => {
    assert.equal(parseFilter("tags.mlflow.runName = 'x'")[0]?.key, 'mlflow.runName');
  });

  it('keeps keys with spaces and unicode', () => {
    assert.equal(parseFilter('metrics.`my metric` > 1')[0]?.key, 'my metric');
    assert.equal(parseFilter("tags.é = 'x'")[0]?.key, 'é');
  });

  it('reads numbers: negative, decimal, scientific', () => {
    const values = ['-1', '0.5', '.5', '5.', '-.5', '1e3', '-1.5E-3', '00012', '-0.0'].map(
      (n) => parseFilter(`metrics.m > ${n}`)[0]?.value,
    );
    assert.deepEqual(values, [-1, 0.5, 0.5, 5, -0.5, 1000, -0.0015, 12, -0]);
  });

  it('keeps string values exactly as written between the quotes, like MLflow', () => {
    const value = (filter: string) => parseFilter(filter)[0]?.value;
    assert.equal(value("tags.t = 'a b c'"), 'a b c');
    assert.equal(value("tags.t = ''"), '');
    assert.equal(value("tags.t = 'it''s'"), "it''s");
    assert.equal(value("tags.t = 'it\\'s'"), "it\\'s");
    assert.equal(value("tags.t = 'a\"b'"), 'a"b');
    assert.equal(value('tags.t = "a\'b"'), "a'b");
    assert.equal(value("tags.t LIKE '%_\\%'"), '%_\\%');
  });

  it('accepts AND in any case, and missing or repeated ANDs, as MLflow does', () => {
    for (const filter of [
      "tags.a = 'x' AND tags.b = 'y'",
      "tags.a = 'x' and tags.b = 'y'",
      "tags.a = 'x' tags.b = 'y'",
      "tags.a = 'x' AND AND tags.b = 'y' AND",
      "AND tags.a='x'AND tags.b='y'",
      "tags.a = 'x'\nAND\ttags.b = 'y'",
    ]) {
      assert.deepEqual(parseFilter(filter).map((c) => c.key), ['a', 'b'], filter);
    }
  });

  it('refuses OR', () => {
    rejects("tags.a = 'x' OR tags.b = 'y'", "Invalid clause(s) in filter string: 'OR'");
  });

  it('refuses parentheses used for grouping', () => {
    rejects("(tags.a = 'x')", "Invalid clause(s) in filter string: '(tags.a = 'x')'");
    rejects("tags.a = 'x' AND (tags.b = 'y')", "Invalid clause(s) in filter string: '(tags.b = 'y')'");
  });

  it('refuses NOT, BETWEEN and other SQL', () => {
    rejects("NOT tags.a = 'x'", "Invalid clause(s) in filter string: 'NOT'");
    rejects('metrics.m BETWEEN 1 AND 2', "Invalid clause(s) in filter string: 'metrics.m', 'BETWEEN', '1', '2'");
    rejects("params.a = 'x' -- comment", "Invalid clause(s) in filter string: '-- comment'");
  });

  it('refuses an unterminated string', () => {
    rejects("tags.a = 'oops", "Invalid clause(s) in filter string: 'tags.a', '=', ''', 'oops'");
  });

  it('refuses a missing value or comparator', () => {
    rejects('tags.a =', "Invalid clause(s) in filter string: 'tags.a', '='");
    rejects('tags.a', "Invalid clause(s) in filter string: 'tags.a'");
    rejects("tags.a = 'x' AND tags.b", "Invalid clause(s) in filter string: 'tags.b'");
    rejects('metrics.m > 1 2', "Invalid clause(s) in filter string: '2'");
  });

  it('refuses a value that is not a number, a string or a list', () => {
    rejects('metrics.m > +5', "Invalid clause(s) in filter string: 'metrics.m', '>', '+', '5'");
    rejects('metrics.m > 0x1F', "Invalid clause(s) in filter string: 'metrics.m', '>', '0x1F'");
    rejects('tags.a = NULL', 'Expected a quoted string value or a number. Got value NULL');
  });

  it('refuses an unquoted or backticked string value', () => {
    rejects(
      'params.a = abc',
      'Parameter value is either not quoted or unidentified quote types used for string value abc. Use either single or double quotes.',
    );
    rejects(
      'params.a = `abc`',
      'Parameter value is either not quoted or unidentified quote types used for string value `abc`. Use either single or double quotes.',
    );
  });

  it('refuses a left side that is not an identifier', () => {
    rejects('1 = 1', "Invalid comparison clause. Expected 'Identifier' found '1'");
    rejects("'a' = tags.x", "Invalid comparison clause. Expected 'Identifier' found ''a''");
    rejects('metrics.my-metric > 1', "Invalid comparison clause. Expected 'Identifier' found 'metrics.my-metric'");
  });

  it('refuses an unknown entity', () => {
    rejects(
      "foo.bar = 'x'",
      "Invalid entity type 'foo'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']",
    );
    rejects(
      'Metrics.m > 1',
      "Invalid entity type 'Metrics'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']",
    );
  });

  it('refuses comparators that are not MLflow comparators', () => {
    for (const op of ['==', '<>', 'NOT LIKE', 'RLIKE']) {
      assert.throws(() => parseFilter(`tags.a ${op} 'x'`), { message: new RegExp(`^Invalid comparator '${op}'`) });
    }
  });

  it('refuses a list outside IN / NOT IN and an empty list', () => {
    rejects("run_id = ('a', 'b')", "Invalid comparator '=' for a list of values. Use IN or NOT IN.");
    rejects(
      'run_id IN ()',
      'While parsing a list in the query, expected a non-empty list of string values, but got empty list',
    );
    rejects("run_id IN 'a'", "Invalid clause(s) in filter string: 'run_id', 'IN', ''a''");
  });

  it('refuses several statements', () => {
    rejects(
      "tags.a = 'x'; tags.b = 'y'",
      'Search filter contained multiple expression "tags.a = \'x\'; tags.b = \'y\'". Provide AND-ed expression list.',
    );
    rejects("tags.a = 'x';", "Invalid clause(s) in filter string: ';'");
  });
});
