import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodePageToken, encodePageToken } from './page-token';

const b64 = (text: string) => Buffer.from(text).toString('base64');
const rejects = (token: string, message: string) =>
  assert.throws(() => decodePageToken(token), { code: 'INVALID_PARAMETER_VALUE', message });

describe('page tokens', () => {
  it('encodes exactly like MLflow', () => {
    assert.equal(encodePageToken(10), 'eyJvZmZzZXQiOiAxMH0=');
    assert.equal(encodePageToken(1000), 'eyJvZmZzZXQiOiAxMDAwfQ==');
    assert.equal(encodePageToken(123456789), 'eyJvZmZzZXQiOiAxMjM0NTY3ODl9');
    assert.equal(Buffer.from(encodePageToken(7), 'base64').toString(), '{"offset": 7}');
  });

  it('round-trips', () => {
    for (const offset of [1, 2, 99, 100_000, Number.MAX_SAFE_INTEGER]) {
      assert.equal(decodePageToken(encodePageToken(offset)), offset);
    }
  });

  it('refuses to encode a negative or fractional offset', () => {
    assert.throws(() => encodePageToken(-1), RangeError);
    assert.throws(() => encodePageToken(1.5), RangeError);
  });

  it('reads no token as offset 0', () => {
    assert.equal(decodePageToken(undefined), 0);
    assert.equal(decodePageToken(null), 0);
    assert.equal(decodePageToken(''), 0);
  });

  it("accepts what MLflow's parser accepts", () => {
    assert.equal(decodePageToken(b64('{"offset":10}')), 10);
    assert.equal(decodePageToken(b64('{"offset": "10"}')), 10);
    assert.equal(decodePageToken(b64('{"offset": 1.5}')), 1);
    assert.equal(decodePageToken('eyJvZmZzZXQiOiAxMH0=\n'), 10);
    assert.equal(decodePageToken('eyJv ZmZzZXQiOiAxMH0='), 10);
  });

  it('refuses text that is not base64', () => {
    rejects('garbage!!', 'Invalid page token, could not base64-decode');
    rejects('abc', 'Invalid page token, could not base64-decode');
    rejects('eyJvZmZzZXQiOiAxMH0', 'Invalid page token, could not base64-decode');
  });

  it('refuses base64 that is not JSON', () => {
    rejects(b64('not json'), "Invalid page token, decoded value=b'not json'");
  });

  it('refuses JSON without a usable offset', () => {
    rejects(b64('{}'), 'Invalid page token, parsed value={}');
    rejects(b64('{"offset": 0}'), "Invalid page token, parsed value={'offset': 0}");
    rejects(b64('{"offset": null}'), "Invalid page token, parsed value={'offset': None}");
    rejects(b64('{"offset": "abc"}'), 'Invalid page token, not stringable abc');
    rejects(b64('{"offset": [1]}'), 'Invalid page token, not stringable [1]');
  });

  it('refuses what MLflow would choke on: JSON that is not an object, a negative offset', () => {
    rejects(b64('[1,2]'), 'Invalid page token, parsed value=[1, 2]');
    rejects(b64('10'), 'Invalid page token, parsed value=10');
    rejects(b64('{"offset": -5}'), "Invalid page token, parsed value={'offset': -5}");
  });
});
