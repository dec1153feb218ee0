import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { objectKeyFromUrl } from './object-url';

describe('objectKeyFromUrl', () => {
  it('decodes each segment once, so a literal % in a stored name survives', () => {
    assert.equal(objectKeyFromUrl('/objects/1/r/artifacts/%E6%96%87%20%E4%BB%B6.txt'), '1/r/artifacts/文 件.txt');
    assert.equal(objectKeyFromUrl('/objects/a%252541.txt?x=1'), 'a%2541.txt');
    assert.equal(objectKeyFromUrl('/objects/'), '');
  });

  it('is undefined off the objects route, and refuses malformed escapes', () => {
    assert.equal(objectKeyFromUrl('/other/a'), undefined);
    assert.equal(objectKeyFromUrl('/objectsX'), undefined);
    assert.throws(() => objectKeyFromUrl('/objects/%E6%96'), /Invalid path/);
  });
});
