import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { registeredModelsGrammar } from './registered-models';

const { parseFilter, parseOrderBy, resolveOrderBy } = registeredModelsGrammar;
const rejects = (filter: string, message: string) =>
  assert.throws(() => parseFilter(filter), { code: 'INVALID_PARAMETER_VALUE', message });
const rejectsOrder = (items: string[], message: string) =>
  assert.throws(() => parseOrderBy(items), { code: 'INVALID_PARAMETER_VALUE', message });

describe('registeredModelsGrammar.parseFilter', () => {
  it('parses name and tag clauses, upper-casing comparators', () => {
    assert.deepEqual(parseFilter("name like 'm%' AND tags.`mlflow.prompt.is_prompt` = 'true' AND tag.x != 'y'"), [
      { entity: 'attribute', key: 'name', comparator: 'LIKE', value: 'm%' },
      { entity: 'tag', key: 'mlflow.prompt.is_prompt', comparator: '=', value: 'true' },
      { entity: 'tag', key: 'x', comparator: '!=', value: 'y' },
    ]);
  });

  it('takes name IN / NOT IN lists', () => {
    assert.deepEqual(parseFilter("name IN ('a', 'b')")[0]?.value, ['a', 'b']);
    assert.equal(parseFilter("attribute.name NOT IN ('a')")[0]?.comparator, 'NOT IN');
  });

  it('refuses attributes other than name', () => {
    for (const key of ['run_id', 'source_path', 'creation_timestamp']) {
      rejects(`${key} = 'x'`, `Invalid attribute key '${key}' specified. Valid keys are '{'name'}'`);
    }
  });

  it('refuses other entities', () => {
    rejects(
      "params.x = 'y'",
      "Invalid entity type 'params'. Valid entity types are ('attribute', 'tag', 'tags')",
    );
  });

  it('refuses values of the wrong type', () => {
    rejects('name = 5', 'Expected a quoted string value or a list of quoted string values for attributes. Got value 5');
    rejects('tags.x = 5', "Expected a quoted string value for tag (e.g. 'my-value'). Got value 5");
    rejects(
      'name = abc',
      'Parameter value is either not quoted or unidentified quote types used for string value abc. Use either single or double quotes.',
    );
  });

  it('refuses comparators the key does not take', () => {
    rejects("name > 'a'", 'Invalid comparator for attribute: >');
    rejects("tags.x LIKE 'a' AND tags.y > 'b'", 'Invalid comparator for tag: >');
    rejects('tags.x IS NULL', 'Invalid comparator for tag: IS NULL');
  });
});

describe('registeredModelsGrammar order_by', () => {
  it('orders by name and by timestamp / last_updated_timestamp', () => {
    assert.deepEqual(parseOrderBy(['timestamp DESC', 'name']), [
      { entity: 'attribute', key: 'last_updated_timestamp', ascending: false },
      { entity: 'attribute', key: 'name', ascending: true },
    ]);
    assert.deepEqual(parseOrderBy(['last_updated_timestamp asc']), [
      { entity: 'attribute', key: 'last_updated_timestamp', ascending: true },
    ]);
  });

  it('refuses other keys', () => {
    for (const item of ['creation_timestamp', 'tags.x', 'attributes.name']) {
      rejectsOrder([item], `Invalid order by key '${item}' specified. Valid keys are '{'name', 'timestamp'}'`);
    }
  });

  it('refuses a field named twice, timestamp aliases included', () => {
    rejectsOrder(['name', 'name ASC'], "`order_by` contains duplicate fields: ['name', 'name ASC']");
    rejectsOrder(
      ['timestamp', 'last_updated_timestamp'],
      "`order_by` contains duplicate fields: ['timestamp', 'last_updated_timestamp']",
    );
  });

  it('breaks ties with name ASC', () => {
    assert.deepEqual(resolveOrderBy(undefined), [{ entity: 'attribute', key: 'name', ascending: true }]);
    assert.deepEqual(resolveOrderBy(['timestamp DESC']), [
      { entity: 'attribute', key: 'last_updated_timestamp', ascending: false },
      { entity: 'attribute', key: 'name', ascending: true },
    ]);
    assert.deepEqual(resolveOrderBy(['name DESC']), [{ entity: 'attribute', key: 'name', ascending: false }]);
  });
});
