import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodePageToken } from '@cairn/search-filter';
import { decodeHistoryToken, encodeHistoryToken } from './history-page-token';

const invalid = (token: string) => assert.throws(() => decodeHistoryToken(token), { code: 'INVALID_PARAMETER_VALUE' });

describe('metric history page tokens', () => {
  it('round-trips the offset and the last point, NaN and infinities included', () => {
    for (const value of [0.1 + 0.2, -1.5e-300, NaN, Infinity, -Infinity]) {
      const after = { timestamp: '1700000000000', step: '-9223372036854775808', value };
      const token = encodeHistoryToken({ offset: 25_000, after });
      assert.deepEqual(decodeHistoryToken(token), { offset: 25_000, after });
    }
  });

  it('reads a plain MLflow token by its offset, and no token as the start', () => {
    assert.deepEqual(decodeHistoryToken(encodePageToken(50)), { offset: 50 });
    assert.deepEqual(decodeHistoryToken(undefined), { offset: 0 });
    assert.deepEqual(decodeHistoryToken(''), { offset: 0 });
  });

  it("refuses what MLflow refuses, and cursors that aren't one", () => {
    invalid('not base64!');
    invalid(Buffer.from('[1, 2]').toString('base64'));
    invalid(Buffer.from('{"offset": -3}').toString('base64'));
    for (const after of [[1, 2, 3], ['1', '2'], ['1', '2', 'x'], ['1', '99999999999999999999', 0], 'abc']) {
      invalid(Buffer.from(JSON.stringify({ offset: 5, after })).toString('base64'));
    }
  });
});
