import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ifRangeMatches, parseContentRange, parseRangeHeader, rangeHeaderOf, resolveRange } from './byte-range';

describe('byte ranges', () => {
  it('parses one byte range in each form and ignores what it cannot serve', () => {
    assert.deepEqual(parseRangeHeader('bytes=0-99'), { start: 0, end: 99 });
    assert.deepEqual(parseRangeHeader('bytes=100-'), { start: 100 });
    assert.deepEqual(parseRangeHeader('bytes=-500'), { suffix: 500 });
    assert.deepEqual(parseRangeHeader(' bytes=5-5 '), { start: 5, end: 5 });
    for (const ignored of [undefined, '', 'bytes=-', 'bytes=5-1', 'bytes=0-1,4-5', 'items=0-1', 'bytes=a-b', 'bytes=99999999999999999999-']) {
      assert.equal(parseRangeHeader(ignored), undefined, String(ignored));
    }
  });

  it('resolves a range against the object size, or says it cannot be satisfied', () => {
    assert.deepEqual(resolveRange({ start: 0, end: 99 }, 50), { start: 0, end: 49 });
    assert.deepEqual(resolveRange({ start: 10 }, 50), { start: 10, end: 49 });
    assert.deepEqual(resolveRange({ suffix: 10 }, 50), { start: 40, end: 49 });
    assert.deepEqual(resolveRange({ suffix: 500 }, 50), { start: 0, end: 49 });
    assert.equal(resolveRange({ start: 50 }, 50), undefined);
    assert.equal(resolveRange({ suffix: 0 }, 50), undefined);
    assert.equal(resolveRange({ start: 0 }, 0), undefined);
    assert.equal(resolveRange({ suffix: 3 }, 0), undefined);
  });

  it('writes Range headers for S3 and reads its Content-Range answers', () => {
    assert.equal(rangeHeaderOf({ start: 3, end: 9 }), 'bytes=3-9');
    assert.equal(rangeHeaderOf({ start: 3 }), 'bytes=3-');
    assert.equal(rangeHeaderOf({ suffix: 4 }), 'bytes=-4');
    assert.deepEqual(parseContentRange('bytes 3-9/100'), { range: { start: 3, end: 9 }, size: 100 });
    assert.deepEqual(parseContentRange('bytes */100'), { size: 100 });
    assert.equal(parseContentRange(undefined), undefined);
    assert.equal(parseContentRange('bytes 3-9/*'), undefined);
  });

  it('honours If-Range only when its date is exactly the Last-Modified', () => {
    const modified = new Date('2026-01-02T03:04:05.678Z');
    assert.equal(ifRangeMatches(modified.toUTCString(), modified), true);
    assert.equal(ifRangeMatches(new Date('2026-01-02T03:04:06Z').toUTCString(), modified), false);
    assert.equal(ifRangeMatches('"etag-1"', modified), false);
    assert.equal(ifRangeMatches('W/"1"', modified), false);
    assert.equal(ifRangeMatches(modified.toUTCString(), undefined), false);
  });
});
