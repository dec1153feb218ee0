import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodePageToken } from '@cairn/search-filter';
import { cutPage } from './search-page';

const rows = (n: number, size = 10) => Array.from({ length: n }, (_, i) => ({ i, pad: 'x'.repeat(size) }));

describe('search pages cut into messages', () => {
  it('gives MLflow\'s page token only when a row follows a full page', () => {
    const full = cutPage(rows(4), 0, 3, { rows: 100, bytes: 1e6 });
    assert.equal(full.items.length, 3);
    assert.equal(decodePageToken(full.next_page_token), 3);
    assert.deepEqual(cutPage(rows(3), 0, 3, { rows: 100, bytes: 1e6 }), { items: rows(3) });
    assert.deepEqual(cutPage(rows(2), 5, 3, { rows: 100, bytes: 1e6 }), { items: rows(2) });
  });

  it('continues a page that has more rows or bytes than one message carries', () => {
    const byRows = cutPage(rows(51), 10, 100, { rows: 50, bytes: 1e6 });
    assert.equal(byRows.items.length, 50);
    assert.equal(byRows.next_page_token, undefined);
    assert.deepEqual(byRows.continuation && [decodePageToken(byRows.continuation.page_token), byRows.continuation.max_results], [60, 50]);
    const byBytes = cutPage(rows(11, 100), 0, 10, { rows: 100, bytes: 350 });
    assert.equal(byBytes.items.length, 3);
    assert.equal(byBytes.continuation?.max_results, 7);
    const huge = cutPage(rows(2, 1000), 0, 2, { rows: 100, bytes: 10 });
    assert.equal(huge.items.length, 1, 'one row always fits');
  });
});
