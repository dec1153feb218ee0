import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  comparisonSql,
  keyValueComparisonSql,
  limitOffsetSql,
  numericCast,
  orderBySql,
  orderByTermSql,
  quoteIdentifier,
  SqlParams,
} from './sql';
import { runsGrammar } from './grammars/runs';

describe('SqlParams', () => {
  it('numbers placeholders in order and keeps values apart from SQL', () => {
    const params = new SqlParams();
    assert.equal(params.add("x'; DROP TABLE runs; --"), '$1');
    assert.equal(params.add(5, 'bigint'), '$2::bigint');
    assert.deepEqual(params.values, ["x'; DROP TABLE runs; --", 5]);
  });

  it('continues after existing parameters without changing them', () => {
    const existing = ['exp-1'];
    const params = new SqlParams(existing);
    assert.equal(params.add('a'), '$2');
    assert.deepEqual(params.values, ['exp-1', 'a']);
    assert.deepEqual(existing, ['exp-1']);
  });
});

describe('comparisonSql', () => {
  const one = (comparator: Parameters<typeof comparisonSql>[2], value: Parameters<typeof comparisonSql>[3], options = {}) => {
    const params = new SqlParams();
    return [comparisonSql(params, 'r.status', comparator, value, options), params.values];
  };

  it('turns each comparator into its PostgreSQL operator', () => {
    assert.deepEqual(one('=', 'a'), ['r.status = $1', ['a']]);
    assert.deepEqual(one('!=', 'a'), ['r.status <> $1', ['a']]);
    assert.deepEqual(one('>', 1), ['r.status > $1', [1]]);
    assert.deepEqual(one('>=', 1), ['r.status >= $1', [1]]);
    assert.deepEqual(one('<', 1), ['r.status < $1', [1]]);
    assert.deepEqual(one('<=', 1), ['r.status <= $1', [1]]);
  });

  it('uses LIKE (case-sensitive) and ILIKE (case-insensitive) with the pattern as a parameter', () => {
    assert.deepEqual(one('LIKE', 'Train%'), ['r.status LIKE $1', ['Train%']]);
    assert.deepEqual(one('ILIKE', 'train%'), ['r.status ILIKE $1', ['train%']]);
  });

  it('binds IN / NOT IN lists as one array parameter', () => {
    assert.deepEqual(one('IN', ['a', 'b']), ['r.status = ANY($1)', [['a', 'b']]]);
    assert.deepEqual(one('NOT IN', ['a']), ['NOT (r.status = ANY($1))', [['a']]]);
    assert.deepEqual(one('IN', ['a'], { cast: 'text[]' }), ['r.status = ANY($1::text[])', [['a']]]);
  });

  it('writes IS NULL / IS NOT NULL without a parameter', () => {
    assert.deepEqual(one('IS NULL', null), ['r.status IS NULL', []]);
    assert.deepEqual(one('IS NOT NULL', null), ['r.status IS NOT NULL', []]);
  });

  it('casts numeric parameters when asked', () => {
    assert.deepEqual(one('>', 1.5, { cast: numericCast(1.5) }), ['r.status > $1::double precision', [1.5]]);
    assert.deepEqual(one('>', 2, { cast: numericCast(2) }), ['r.status > $1::bigint', [2]]);
  });

  it("excludes NaN metric values from every comparator but '!='", () => {
    assert.deepEqual(one('>', 0.5, { excludeNaN: true }), [
      "(r.status > $1 AND r.status <> 'NaN'::double precision)",
      [0.5],
    ]);
    assert.deepEqual(one('!=', 0.5, { excludeNaN: true }), ['r.status <> $1', [0.5]]);
  });

  it('refuses a value that does not fit the comparator', () => {
    const params = new SqlParams();
    assert.throws(() => comparisonSql(params, 'c', 'IN', 'a'), TypeError);
    assert.throws(() => comparisonSql(params, 'c', '=', ['a']), TypeError);
    assert.throws(() => comparisonSql(params, 'c', 'IS NULL', 'a'), TypeError);
    assert.throws(() => comparisonSql(params, 'c', '=', null), TypeError);
  });
});

describe('keyValueComparisonSql', () => {
  it('matches the key and compares the value, both as parameters', () => {
    const params = new SqlParams(['exp']);
    const sql = keyValueComparisonSql(params, { key: 't.key', value: 't.value' }, 'mlflow.runName', 'LIKE', 'a%');
    assert.equal(sql, '(t.key = $2 AND t.value LIKE $3)');
    assert.deepEqual(params.values, ['exp', 'mlflow.runName', 'a%']);
  });

  it('composes with a parsed filter', () => {
    const params = new SqlParams();
    const fragments = runsGrammar
      .parseFilter("metrics.rmse < 0.5 AND tags.`mlflow.user` = 'ann'")
      .map((c) =>
        keyValueComparisonSql(params, { key: 'k', value: 'v' }, c.key, c.comparator, c.value, {
          excludeNaN: c.entity === 'metric',
        }),
      );
    assert.deepEqual(fragments, [
      "(k = $1 AND (v < $2 AND v <> 'NaN'::double precision))",
      '(k = $3 AND v = $4)',
    ]);
    assert.deepEqual(params.values, ['rmse', 0.5, 'mlflow.user', 'ann']);
  });
});

describe('ORDER BY helpers', () => {
  it('puts NULLs last in both directions', () => {
    assert.equal(orderByTermSql({ expression: 'r.start_time', ascending: true }), 'r.start_time ASC NULLS LAST');
    assert.equal(orderByTermSql({ expression: 'r.start_time', ascending: false }), 'r.start_time DESC NULLS LAST');
  });

  it('puts NaN after numbers and before NULLs when descending', () => {
    assert.equal(
      orderByTermSql({ expression: 'm.value', ascending: false, nanLast: true }),
      "(m.value = 'NaN'::double precision) ASC NULLS LAST, m.value DESC NULLS LAST",
    );
    assert.equal(orderByTermSql({ expression: 'm.value', ascending: true, nanLast: true }), 'm.value ASC NULLS LAST');
  });

  it('joins terms into an ORDER BY clause, or nothing', () => {
    assert.equal(
      orderBySql([
        { expression: 'r.start_time', ascending: false },
        { expression: 'r.run_uuid', ascending: true },
      ]),
      'ORDER BY r.start_time DESC NULLS LAST, r.run_uuid ASC NULLS LAST',
    );
    assert.equal(orderBySql([]), '');
  });
});

describe('other helpers', () => {
  it('binds LIMIT and OFFSET', () => {
    const params = new SqlParams(['x']);
    assert.equal(limitOffsetSql(params, 101, 200), 'LIMIT $2 OFFSET $3');
    assert.deepEqual(params.values, ['x', 101, 200]);
  });

  it('quotes identifiers', () => {
    assert.equal(quoteIdentifier('runs'), '"runs"');
    assert.equal(quoteIdentifier('we"ird'), '"we""ird"');
    assert.throws(() => quoteIdentifier('a\u0000b'), TypeError);
  });
});
