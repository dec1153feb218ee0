import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseOrderBy, parseOrderByItem } from './order-by';

const rejects = (items: string[], message: string) =>
  assert.throws(() => parseOrderBy(items), { code: 'INVALID_PARAMETER_VALUE', message });

describe('parseOrderBy', () => {
  it('returns no term for absent or empty order_by', () => {
    assert.deepEqual(parseOrderBy(undefined), []);
    assert.deepEqual(parseOrderBy([]), []);
  });

  it('defaults to ascending and reads ASC / DESC in any case', () => {
    assert.deepEqual(
      parseOrderBy(['name', 'start_time ASC', 'end_time asc', 'metrics.rmse desc', 'params.p Desc']).map((t) => [
        t.entity,
        t.key,
        t.ascending,
      ]),
      [
        ['attribute', 'name', true],
        ['attribute', 'start_time', true],
        ['attribute', 'end_time', true],
        ['metric', 'rmse', false],
        ['param', 'p', false],
      ],
    );
  });

  it('reads backticked and double-quoted keys with spaces and dots', () => {
    assert.deepEqual(
      parseOrderBy(['metrics.`my metric` DESC', 'params."x y"', 'tags.`mlflow.runName` ASC', '`start_time` DESC']).map(
        (t) => [t.entity, t.key, t.ascending],
      ),
      [
        ['metric', 'my metric', false],
        ['param', 'x y', true],
        ['tag', 'mlflow.runName', true],
        ['attribute', 'start_time', false],
      ],
    );
  });

  it('ignores surrounding whitespace, which MLflow does not', () => {
    assert.deepEqual(parseOrderByItem('  start_time \t DESC  ').ascending, false);
  });

  it('refuses a field named twice, listing the items like MLflow', () => {
    rejects(['metrics.rmse', 'metric.rmse DESC'], "`order_by` contains duplicate fields: ['metrics.rmse', 'metric.rmse DESC']");
  });

  it('refuses an unknown direction', () => {
    rejects(['metrics.rmse FOO'], "Invalid ordering key in order_by clause 'metrics.rmse FOO'.");
  });

  it('refuses anything but an identifier and a direction', () => {
    for (const item of ['', 'metrics.rmse ASC DESC', 'metrics.rmse DESC NULLS LAST', 'a,b', 'tags.x = 1', '(name)', "'name'", 'ASC']) {
      rejects([item], `Invalid order_by clause '${item}'. Could not be parsed.`);
    }
  });

  it('refuses an unknown entity', () => {
    rejects(
      ['foo.bar'],
      "Invalid entity type 'foo'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']",
    );
  });
});
