import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { httpStatusOf, toWireJson } from './index';

describe('toWireJson', () => {
  it('leaves out unset fields and empty repeated fields, keeps zeros, empty strings and empty messages', () => {
    assert.deepEqual(toWireJson({ a: undefined, b: null, c: [], d: 0, e: '', f: {}, g: [{ h: [], i: 1 }] }), {
      d: 0,
      e: '',
      f: {},
      g: [{ i: 1 }],
    });
  });
});

describe('toWireJson copies only what changes', () => {
  it('returns untouched objects as they are and never mutates its input', () => {
    const points = [{ key: 'a', value: 1 }, { key: 'b', value: 2 }];
    const page = { metrics: points };
    assert.equal(toWireJson(page), page);
    const input = { info: { id: 'x', end_time: undefined }, data: { tags: [] } };
    const out = toWireJson(input);
    assert.deepEqual(out, { info: { id: 'x' }, data: {} });
    assert.ok('end_time' in input.info && input.data.tags.length === 0, 'input unchanged');
  });
});

describe('httpStatusOf', () => {
  it("uses MLflow's table: RESOURCE_ALREADY_EXISTS is 400 and INVALID_STATE is 500", () => {
    assert.equal(httpStatusOf('RESOURCE_ALREADY_EXISTS'), 400);
    assert.equal(httpStatusOf('RESOURCE_DOES_NOT_EXIST'), 404);
    assert.equal(httpStatusOf('ENDPOINT_NOT_FOUND'), 404);
    assert.equal(httpStatusOf('INVALID_STATE'), 500);
    assert.equal(httpStatusOf('TEMPORARILY_UNAVAILABLE'), 503);
  });
});
