import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { experimentsGrammar } from './experiments';

const { parseFilter, parseOrderBy, resolveOrderBy } = experimentsGrammar;
const rejects = (filter: string, message: string) =>
  assert.throws(() => parseFilter(filter), { code: 'INVALID_PARAMETER_VALUE', message });
const KEYS = "'{'creation_time', 'experiment_id', 'last_update_time', 'name'}'";

describe('experimentsGrammar.parseFilter', () => {
  it('parses name, times, experiment ids and tags', () => {
    assert.deepEqual(
      parseFilter("name LIKE 'prod%' AND creation_time > 100 AND tags.team = 'ml' AND attribute.last_update_time <= 5"),
      [
        { entity: 'attribute', key: 'name', comparator: 'LIKE', value: 'prod%' },
        { entity: 'attribute', key: 'creation_time', comparator: '>', value: 100 },
        { entity: 'tag', key: 'team', comparator: '=', value: 'ml' },
        { entity: 'attribute', key: 'last_update_time', comparator: '<=', value: 5 },
      ],
    );
  });

  it('accepts lower-case like / ilike (MLflow refuses them here; its other searches do not)', () => {
    assert.deepEqual(parseFilter("name like 'a%' AND name ilike 'B%'").map((c) => c.comparator), ['LIKE', 'ILIKE']);
  });

  it('returns experiment ids as canonical integer strings', () => {
    assert.deepEqual(parseFilter("experiment_id = ' 007 '")[0]?.value, '7');
    assert.deepEqual(parseFilter("experiment_id IN ('0', '12')")[0]?.value, ['0', '12']);
    assert.deepEqual(parseFilter("experiment_id NOT IN ('3')")[0]?.comparator, 'NOT IN');
  });

  it('takes IS NULL / IS NOT NULL on tags only', () => {
    assert.deepEqual(parseFilter('tags.x IS NULL AND tag.y IS NOT NULL').map((c) => c.comparator), [
      'IS NULL',
      'IS NOT NULL',
    ]);
    rejects('name IS NULL', "IS NULL / IS NOT NULL is only supported for tags, not for attribute 'name'");
  });

  it('refuses entities other than attribute, tag and tags', () => {
    for (const prefix of ['attributes', 'attr', 'metrics', 'params']) {
      rejects(
        `${prefix}.name = 'x'`,
        `Invalid entity type '${prefix}'. Valid entity types are ('attribute', 'tag', 'tags')`,
      );
    }
  });

  it('refuses unknown attributes', () => {
    rejects("lifecycle_stage = 'active'", `Invalid attribute key 'lifecycle_stage' specified. Valid keys are ${KEYS}`);
  });

  it('refuses values of the wrong type', () => {
    rejects("creation_time = '5'", "Expected numeric value type for numeric attribute: creation_time. Found '5'");
    rejects('creation_time >= 1.5', "Invalid value for numeric attribute 'creation_time': '1.5'");
    rejects('experiment_id = 0', 'Expected a quoted string value for attributes. Got value 0');
    rejects("experiment_id = 'abc'", "Invalid experiment ID 'abc'. Experiment ID must be a valid integer.");
    rejects("experiment_id IN ('1', 'x')", "Invalid experiment ID 'x'. Experiment ID must be a valid integer.");
    rejects('tags.x = 5', "Expected a quoted string value for tag (e.g. 'my-value'). Got value 5");
  });

  it('refuses lists except for experiment_id', () => {
    rejects("name IN ('a', 'b')", "Only ['experiment_id'] attributes support comparison with a list of quoted string values.");
    rejects(
      'experiment_id IN ()',
      'While parsing a list in the query, expected a non-empty list of string values, but got empty list',
    );
  });

  it('refuses comparators the key does not take', () => {
    rejects("name > 'a'", "Invalid comparator '>' not one of '{'!=', '=', 'ILIKE', 'IN', 'LIKE', 'NOT IN'}'");
    rejects('creation_time LIKE 5', "Invalid comparator 'LIKE' not one of '{'!=', '<', '<=', '=', '>', '>='}'");
    rejects("experiment_id > '0'", 'Invalid comparator for experiment_id: >');
    rejects("tags.x > 'a'", 'Invalid comparator for tag: >');
  });

  it('lists stray tokens unquoted in "Invalid clause(s)"', () => {
    rejects("name = 'a' OR name = 'b'", 'Invalid clause(s) in filter string: OR');
    rejects("(name = 'a')", "Invalid clause(s) in filter string: (name = 'a')");
  });
});

describe('experimentsGrammar order_by', () => {
  it('orders by the four attributes', () => {
    assert.deepEqual(parseOrderBy(['name DESC', 'attribute.experiment_id', 'creation_time asc', 'last_update_time']), [
      { entity: 'attribute', key: 'name', ascending: false },
      { entity: 'attribute', key: 'experiment_id', ascending: true },
      { entity: 'attribute', key: 'creation_time', ascending: true },
      { entity: 'attribute', key: 'last_update_time', ascending: true },
    ]);
  });

  it('allows a field named twice, as MLflow does for experiments', () => {
    assert.equal(parseOrderBy(['name', 'name DESC']).length, 2);
  });

  it('refuses tags and unknown keys', () => {
    assert.throws(() => parseOrderBy(['tags.x']), { message: 'Invalid order_by entity: tag' });
    assert.throws(() => parseOrderBy(['timestamp']), {
      message: `Invalid attribute key 'timestamp' specified. Valid keys are ${KEYS}`,
    });
  });

  it('defaults to creation_time DESC, experiment_id ASC', () => {
    assert.deepEqual(resolveOrderBy([]), [
      { entity: 'attribute', key: 'creation_time', ascending: false },
      { entity: 'attribute', key: 'experiment_id', ascending: true },
    ]);
  });

  it('breaks ties with experiment_id DESC unless the caller orders by it', () => {
    assert.deepEqual(resolveOrderBy(['name']), [
      { entity: 'attribute', key: 'name', ascending: true },
      { entity: 'attribute', key: 'experiment_id', ascending: false },
    ]);
    assert.deepEqual(resolveOrderBy(['experiment_id ASC']), [
      { entity: 'attribute', key: 'experiment_id', ascending: true },
    ]);
  });
});
