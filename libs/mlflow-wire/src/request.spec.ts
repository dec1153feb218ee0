import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CairnError } from '@cairn/contracts';
import { defineRequest, field, fromQuery, parseRequest } from './index';

const Search = defineRequest({
  max_results: field.int64().optional(),
  order_by: field.repeated(field.string()).optional(),
  view_type: field.enumOf(['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL'] as const).optional(),
  flag: field.bool().optional(),
});
const Create = defineRequest({ name: field.string(), experiment_id: field.id().optional(), tags: field.tags().optional() }, ['name']);

const failure = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof CairnError);
    assert.equal(err.code, 'INVALID_PARAMETER_VALUE');
    return err.message;
  }
  assert.fail('expected an INVALID_PARAMETER_VALUE');
};

describe('parseRequest', () => {
  it('reads query-string values: numbers, repeated keys, enum names and numbers, any-case booleans', () => {
    assert.deepEqual(parseRequest(Search, fromQuery(Search, { max_results: '3', order_by: 'name', view_type: '3', flag: 'True' })), {
      max_results: 3,
      order_by: ['name'],
      view_type: 'ALL',
      flag: true,
    });
    assert.deepEqual(parseRequest(Search, { order_by: ['a', 'b'], view_type: 'DELETED_ONLY' }), {
      order_by: ['a', 'b'],
      view_type: 'DELETED_ONLY',
    });
  });

  it('wants a JSON array for a repeated field in a body', () => {
    assert.match(failure(() => parseRequest(Search, { order_by: 'name' })), /parameter 'order_by' supplied/);
  });

  it('drops unknown fields and nulls', () => {
    assert.deepEqual(parseRequest(Create, { name: 'x', extra: 1, experiment_id: null }), { name: 'x' });
  });

  it('stringifies numeric ids as MLflow does', () => {
    assert.equal(parseRequest(Create, { name: 'x', experiment_id: 7 }).experiment_id, '7');
  });

  it("reports a missing or empty required field with MLflow's message", () => {
    for (const input of [{}, { name: '' }, null, 'a string']) {
      assert.equal(
        failure(() => parseRequest(Create, input)),
        "Missing value for required parameter 'name'. See the API docs for more information about request parameters.",
      );
    }
  });

  it('reports a wrongly typed value with its Python type, as MLflow does', () => {
    assert.match(failure(() => parseRequest(Create, { name: 123 })), /^Invalid value 123 for parameter 'name' supplied: {2}Hint: Value was of type 'int'\./);
    assert.match(failure(() => parseRequest(Search, { max_results: 'abc' })), /^Invalid value "abc" for parameter 'max_results' supplied: {2}Hint: Value was of type 'str'/);
    assert.match(failure(() => parseRequest(Search, { view_type: 'SOME' })), /parameter 'view_type'/);
  });

  it('names the nested path of a bad item', () => {
    assert.match(failure(() => parseRequest(Create, { name: 'x', tags: [{ key: 'a', value: 'b' }, { value: 'c' }] })), /'tags\[1\]\.key'/);
  });
});
