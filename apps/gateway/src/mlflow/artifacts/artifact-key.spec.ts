import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { artifactKeyFromUrl, fileKeyFromUrl, multipartFileKey, relativeChild } from './artifact-key';

const FILES = ['/api/2.0/mlflow-artifacts/artifacts/', '/ajax-api/2.0/mlflow-artifacts/artifacts/'];
const invalid = (fn: () => unknown) => assert.throws(fn, /Invalid path/);

describe('artifact keys from raw request URLs', () => {
  it('decodes the path once, as MLflow does, and drops the query', () => {
    assert.equal(fileKeyFromUrl('/api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/a%20b.txt?x=1', FILES), '1/r/artifacts/a b.txt');
    assert.equal(fileKeyFromUrl('/ajax-api/2.0/mlflow-artifacts/artifacts/d/%E6%96%87.txt', FILES), 'd/文.txt');
    assert.equal(fileKeyFromUrl('/api/2.0/mlflow-artifacts/artifacts/d/100%25.txt', FILES), 'd/100%.txt');
  });

  it('refuses traversal in any encoding, absolute paths, fragments, parameters and the root', () => {
    const shapes = ['../x', '%2e%2e/x', '%252e%252e/x', 'a/%2E%2E%2F..%2Fetc', '..%5c..%5cx', '%5Cetc', '/etc/passwd', '%2Fetc', 'a%23b', 'a;b', 'a%3bb', 'C:/x', ''];
    for (const shape of shapes) invalid(() => fileKeyFromUrl(`/api/2.0/mlflow-artifacts/artifacts/${shape}`, FILES));
    invalid(() => artifactKeyFromUrl('/api/2.0/mlflow-artifacts/artifacts%2F..%2Fx', FILES));
    assert.equal(artifactKeyFromUrl('/api/2.0/mlflow-artifacts/artifacts/', FILES), '');
  });

  it('keeps the basename of a multipart upload under its directory', () => {
    assert.equal(multipartFileKey('1/r/artifacts/dir', '/home/me/data/big.bin'), '1/r/artifacts/dir/big.bin');
    assert.equal(multipartFileKey('1/r/artifacts', 'C:\\Users\\me\\big.bin'), '1/r/artifacts/big.bin');
    invalid(() => multipartFileKey('1/r', '..'));
    invalid(() => multipartFileKey('1/r', '/tmp/'));
    invalid(() => multipartFileKey('1/r', 'x%2f..%2f..'));
  });

  it('shows listed children relative to the root', () => {
    assert.equal(relativeChild('', 'model'), 'model');
    assert.equal(relativeChild('model', 'MLmodel'), 'model/MLmodel');
  });
});
