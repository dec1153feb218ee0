import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CairnError } from '@cairn/contracts';
import { checkSourceOfModel, checkSourceOfRun, checkSourceScheme } from './source-policy';
import { hasRelativeOrUnsafePath, isUriWithinRoot, parseModelUri, splitUri } from './source-uri';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return 'OK';
  } catch (err) {
    return err instanceof CairnError ? err.code : 'THREW';
  }
};
const RUN = { run_id: 'r1', artifact_uri: 'mlflow-artifacts:/1/r1/artifacts' };

describe('model version sources', () => {
  it('splits URIs as Python urlsplit does', () => {
    assert.deepEqual(splitUri('s3://bucket/a/b?x=1'), { scheme: 's3', netloc: 'bucket', path: '/a/b' });
    assert.deepEqual(splitUri('MODELS:/m/1'), { scheme: 'models', netloc: '', path: '/m/1' });
    assert.deepEqual(splitUri('/local/path'), { scheme: '', netloc: '', path: '/local/path' });
  });

  it('finds traversal and NUL however often they were URL-encoded (CVE-2023-1177, -6975, -3573)', () => {
    for (const bad of ['s3://b/../x', 's3://b/%2e%2e/x', 's3://b/%252E%252E/x', 's3://b/%25252e%25252e/x', 's3://b/x%00', 's3://b/x%2500',
      'runs:/r1/./model', 's3://bucket', 's3://bucket/', 'mlflow-artifacts:rel/x', 'http://h/api/2.0/mlflow-artifacts/artifacts/..%2f..%2fx']) {
      assert.ok(hasRelativeOrUnsafePath(bad), bad);
    }
    for (const good of ['s3://b/x', 's3://b/a%20b/x', 'runs:/r1/model', 'models:/m/1', 'mlflow-artifacts:/1/r1/artifacts/m', 's3://b/x/']) {
      assert.ok(!hasRelativeOrUnsafePath(good), good);
    }
  });

  it('refuses server paths outright and hosts a client names', () => {
    for (const local of ['/etc/passwd', 'file:///etc/passwd', 'file://localhost/etc', 'relative/dir', 'C:\\models']) {
      assert.equal(codeOf(() => checkSourceOfRun(local, 'r1', { run: RUN })), 'INVALID_PARAMETER_VALUE', local);
    }
    for (const remote of ['http://169.254.169.254/x', 'https://h/x', 'ftp://h/x', 'mlflow-artifacts://evil:80/x', 'hdfs://nn/x']) {
      assert.equal(codeOf(() => checkSourceScheme(remote)), 'INVALID_PARAMETER_VALUE', remote);
    }
    for (const fine of ['s3://b/x', 'mlflow-artifacts:/1/x', 'gs://b/x', 'runs:/r/m']) assert.equal(codeOf(() => checkSourceScheme(fine)), 'OK', fine);
  });

  it('ties runs:/ and proxied sources to the run named by run_id', () => {
    assert.equal(codeOf(() => checkSourceOfRun('runs:/r1/model', 'r1', {})), 'OK');
    assert.equal(codeOf(() => checkSourceOfRun('runs:/r1/model', undefined, {})), 'INVALID_PARAMETER_VALUE');
    assert.equal(codeOf(() => checkSourceOfRun('runs:/r2/model', 'r1', {})), 'INVALID_PARAMETER_VALUE');
    assert.equal(codeOf(() => checkSourceOfRun('mlflow-artifacts:/1/r1/artifacts/model', 'r1', { run: RUN })), 'OK');
    assert.equal(codeOf(() => checkSourceOfRun('mlflow-artifacts:/1/r2/artifacts/model', 'r1', { run: RUN })), 'INVALID_PARAMETER_VALUE');
    assert.equal(codeOf(() => checkSourceOfRun('mlflow-artifacts:/1/r1/artifacts/model', 'r1', { run: null })), 'INVALID_PARAMETER_VALUE');
    assert.equal(codeOf(() => checkSourceOfRun('models:/m-1', undefined, {})), 'INVALID_PARAMETER_VALUE');
    assert.equal(codeOf(() => checkSourceOfRun('s3://b/x', undefined, {})), 'OK');
  });

  it('ties models:/<id> and proxied sources to the logged model named by model_id', () => {
    const lineage = { logged_model: { model_id: 'm-1', artifact_uri: 'mlflow-artifacts:/1/models/m-1/artifacts' } };
    assert.equal(codeOf(() => checkSourceOfModel('models:/m-1', 'm-1', lineage)), 'OK');
    assert.equal(codeOf(() => checkSourceOfModel('models:/m-2', 'm-1', lineage)), 'INVALID_PARAMETER_VALUE');
    assert.equal(codeOf(() => checkSourceOfModel('runs:/r1/m', 'm-1', lineage)), 'INVALID_PARAMETER_VALUE');
    assert.equal(codeOf(() => checkSourceOfModel('mlflow-artifacts:/1/models/m-1/artifacts/x', 'm-1', lineage)), 'OK');
    assert.equal(codeOf(() => checkSourceOfModel('mlflow-artifacts:/1/models/m-2/artifacts', 'm-1', lineage)), 'INVALID_PARAMETER_VALUE');
  });

  it('parses models:/ URIs and compares URI roots segment by segment', () => {
    assert.deepEqual(parseModelUri('models:/churn/3'), { name: 'churn', version: '3' });
    assert.deepEqual(parseModelUri('models:/churn/Production'), { name: 'churn', stage: 'Production' });
    assert.deepEqual(parseModelUri('models:/churn/LATEST'), { name: 'churn', latest: true });
    assert.deepEqual(parseModelUri('models:/churn@champion'), { name: 'churn', alias: 'champion' });
    assert.deepEqual(parseModelUri('models:/m-abc'), { modelId: 'm-abc' });
    for (const bad of ['models:/', 'models:/a/b/c', 'models:/a/ ', 'models:/a@', 's3://b/x']) assert.equal(parseModelUri(bad), undefined, bad);
    assert.ok(isUriWithinRoot('mlflow-artifacts:/1/r1/artifacts/a%2Fb', 'mlflow-artifacts:/1/r1/artifacts'));
    assert.ok(!isUriWithinRoot('mlflow-artifacts:/1/r1/artifactsX', 'mlflow-artifacts:/1/r1/artifacts'));
    assert.ok(!isUriWithinRoot('mlflow-artifacts://h/1/r1/artifacts', 'mlflow-artifacts:/1/r1/artifacts'));
  });
});
