import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { modelVersionsGrammar } from './model-versions';

const { parseFilter, parseOrderBy, resolveOrderBy } = modelVersionsGrammar;
const rejects = (filter: string, message: string) =>
  assert.throws(() => parseFilter(filter), { code: 'INVALID_PARAMETER_VALUE', message });
const ORDER_KEYS = "{'creation_timestamp', 'last_updated_timestamp', 'name', 'version_number'}";

describe('modelVersionsGrammar.parseFilter', () => {
  it('parses the searchable attributes and tags', () => {
    assert.deepEqual(
      parseFilter(
        "name = 'm' AND run_id = 'abc' AND source_path LIKE 's3://%' AND version_number > 1 AND tags.stage = 'prod'",
      ),
      [
        { entity: 'attribute', key: 'name', comparator: '=', value: 'm' },
        { entity: 'attribute', key: 'run_id', comparator: '=', value: 'abc' },
        { entity: 'attribute', key: 'source_path', comparator: 'LIKE', value: 's3://%' },
        { entity: 'attribute', key: 'version_number', comparator: '>', value: 1 },
        { entity: 'tag', key: 'stage', comparator: '=', value: 'prod' },
      ],
    );
  });

  it('reads version_number from a number or a quoted integer', () => {
    assert.equal(parseFilter("version_number = '3'")[0]?.value, 3);
    assert.equal(parseFilter('version_number != -1')[0]?.value, -1);
  });

  it('takes IN / NOT IN for name and run_id', () => {
    assert.deepEqual(parseFilter("run_id IN ('a', 'b')")[0]?.value, ['a', 'b']);
    assert.deepEqual(parseFilter("name NOT IN ('a')")[0]?.comparator, 'NOT IN');
  });

  it('refuses unknown attributes', () => {
    for (const key of ['current_stage', 'creation_timestamp']) {
      rejects(
        `${key} = 'x'`,
        `Invalid attribute key '${key}' specified. Valid keys are '{'name', 'run_id', 'source_path', 'version_number'}'`,
      );
    }
  });

  it('refuses lists on other attributes', () => {
    rejects("source_path IN ('a')", "Only ['name', 'run_id'] attributes support comparison with a list of quoted string values.");
    rejects("version_number IN ('1')", "Only ['name', 'run_id'] attributes support comparison with a list of quoted string values.");
  });

  it('refuses numbers for string attributes and non-integers for version_number', () => {
    rejects(
      'name = 5',
      "Only the '{'creation_timestamp', 'last_updated_timestamp', 'version_number'}' attributes support comparison with numeric values.",
    );
    rejects('version_number >= 1.5', "Invalid value for numeric attribute 'version_number': 1.5");
    rejects('version_number = 1.0', "Invalid value for numeric attribute 'version_number': 1.0");
    rejects("version_number = 'abc'", "Invalid value for numeric attribute 'version_number': 'abc'");
    rejects("version_number = '1.5'", "Invalid value for numeric attribute 'version_number': '1.5'");
  });

  it('refuses comparators the key does not take', () => {
    rejects("name > 'a'", 'Invalid comparator for attribute: >');
    rejects("run_id > 'a'", 'Invalid comparator for attribute: >');
    rejects('version_number LIKE 1', 'Invalid comparator for attribute version_number: LIKE');
    rejects("tags.x > 'y'", 'Invalid comparator for tag: >');
  });
});

describe('modelVersionsGrammar order_by', () => {
  it('orders by name, version_number and the timestamps', () => {
    assert.deepEqual(
      parseOrderBy(['version_number DESC', 'attribute.name', 'creation_timestamp', 'last_updated_timestamp asc']).map(
        (t) => [t.key, t.ascending],
      ),
      [
        ['version_number', false],
        ['name', true],
        ['creation_timestamp', true],
        ['last_updated_timestamp', true],
      ],
    );
  });

  it('refuses tags and unknown keys', () => {
    assert.throws(() => parseOrderBy(['tags.x']), {
      message: `Invalid order by key 'x' specified. Valid keys are ${ORDER_KEYS}`,
    });
    assert.throws(() => parseOrderBy(['run_id']), {
      message: `Invalid attribute key 'run_id' specified. Valid keys are '${ORDER_KEYS}'`,
    });
  });

  it('refuses a field named twice', () => {
    assert.throws(() => parseOrderBy(['name', 'name']), {
      message: "`order_by` contains duplicate fields: ['name', 'name']",
    });
  });

  it('defaults to last_updated_timestamp DESC, name ASC, version_number DESC', () => {
    assert.deepEqual(
      resolveOrderBy(undefined).map((t) => [t.key, t.ascending]),
      [
        ['last_updated_timestamp', false],
        ['name', true],
        ['version_number', false],
      ],
    );
  });

  it('breaks ties with name ASC and version_number DESC', () => {
    assert.deepEqual(
      resolveOrderBy(['creation_timestamp']).map((t) => [t.key, t.ascending]),
      [
        ['creation_timestamp', true],
        ['name', true],
        ['version_number', false],
      ],
    );
  });
});
