import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pyBytes, pyList, pySet, pyStr, pyTuple, pyValue } from './py-repr';

describe('python reprs', () => {
  it('quotes strings like Python', () => {
    assert.equal(pyStr('abc'), "'abc'");
    assert.equal(pyStr("it's"), '"it\'s"');
    assert.equal(pyStr('a\'b"c'), "'a\\'b\"c'");
    assert.equal(pyStr('a\nb\\'), "'a\\nb\\\\'");
  });

  it('prints bytes, JSON values, lists, sorted sets and tuples', () => {
    assert.equal(pyBytes(Buffer.from('not json')), "b'not json'");
    assert.equal(pyBytes(Buffer.from([0xff, 0x41])), "b'\\xffA'");
    assert.equal(pyValue({ offset: null, a: [1, true, 'x'] }), "{'offset': None, 'a': [1, True, 'x']}");
    assert.equal(pyList(['a', 'b']), "['a', 'b']");
    assert.equal(pySet(['b', 'a']), "{'a', 'b'}");
    assert.equal(pyTuple(['a']), "('a',)");
    assert.equal(pyTuple(['a', 'b']), "('a', 'b')");
  });
});
