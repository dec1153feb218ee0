import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CairnError } from '@cairn/contracts';
import { s3Error } from './s3-errors';

const sdk = (name: string, status?: number, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${name} happened`), { name, ...extra, ...(status && { $metadata: { httpStatusCode: status } }) });
const codeOf = (err: Error) => (err instanceof CairnError ? err.code : 'passthrough');

describe('s3Error', () => {
  const map = (err: unknown) => s3Error(err, 's3://bucket/prefix', 'a/b.txt');

  it('reports a missing object or upload as RESOURCE_DOES_NOT_EXIST', () => {
    assert.equal(codeOf(map(sdk('NoSuchKey', 404))), 'RESOURCE_DOES_NOT_EXIST');
    assert.equal(codeOf(map(sdk('NotFound', 404))), 'RESOURCE_DOES_NOT_EXIST');
    assert.match(map(sdk('NoSuchKey', 404)).message, /Artifact 'a\/b.txt' does not exist/);
    assert.equal(codeOf(map(sdk('NoSuchUpload', 404))), 'RESOURCE_DOES_NOT_EXIST');
  });

  it('reports an unreachable, overloaded or misconfigured store as TEMPORARILY_UNAVAILABLE, naming no endpoint or secret', () => {
    const cases = [
      Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:9000'), { code: 'ECONNREFUSED' }),
      sdk('TimeoutError'),
      sdk('SlowDown', 503),
      sdk('InternalError', 500),
      sdk('AccessDenied', 403),
      sdk('InvalidAccessKeyId', 403),
      sdk('NoSuchBucket', 404),
    ];
    for (const err of cases) {
      const mapped = map(err);
      assert.equal(codeOf(mapped), 'TEMPORARILY_UNAVAILABLE', err.name);
      assert.match(mapped.message, /^The artifact store \(s3:\/\/bucket\/prefix\) /);
      assert.doesNotMatch(mapped.message, /10\.0\.0\.7/);
    }
  });

  it('reports bad multipart parts as INVALID_PARAMETER_VALUE and leaves other errors alone', () => {
    assert.equal(codeOf(map(sdk('InvalidPart', 400))), 'INVALID_PARAMETER_VALUE');
    const odd = new Error('odd');
    assert.equal(map(odd), odd);
  });
});
