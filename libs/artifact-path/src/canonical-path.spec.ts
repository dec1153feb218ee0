import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CairnError } from '@cairn/contracts';
import { canonicalArtifactPath, joinArtifactPath, proxiedArtifactRoot, unquote } from './index';

const rejects = (path: string) =>
  assert.throws(
    () => canonicalArtifactPath(path),
    (err: unknown) => err instanceof CairnError && err.code === 'INVALID_PARAMETER_VALUE' && err.message === 'Invalid path',
    JSON.stringify(path),
  );

describe('canonicalArtifactPath', () => {
  it('keeps ordinary relative paths, unicode and empty names, and normalizes empty and dot segments', () => {
    assert.equal(canonicalArtifactPath('1/abc/artifacts/model/MLmodel'), '1/abc/artifacts/model/MLmodel');
    assert.equal(canonicalArtifactPath('dir//./sub/ünïcødé 文件.txt'), 'dir/sub/ünïcødé 文件.txt');
    assert.equal(canonicalArtifactPath(''), '');
    assert.equal(canonicalArtifactPath(undefined), '');
    assert.equal(canonicalArtifactPath('100%.txt'), '100%.txt', 'a literal % that is no escape');
    assert.equal(canonicalArtifactPath('a%2541.txt'), 'a%2541.txt', 'stored as received; checked fully decoded');
  });

  // MLflow's path-traversal CVEs, each as the path shape its exploit sent.
  const attacks: Record<string, string[]> = {
    'CVE-2023-1176 absolute paths': ['/etc/passwd', '//etc/passwd', 'C:/Windows/win.ini', 'c:\\boot.ini'],
    'CVE-2023-1177 / -2356 relative traversal': ['../../../etc/passwd', '1/run/artifacts/../../../../etc/passwd', 'a/..', '..'],
    'CVE-2023-2780 backslash bypass': ['..\\..\\etc\\passwd', 'a\\..\\..\\b'],
    'CVE-2023-6909 mixed separators': ['\\..\\..\\etc/passwd', 'model/\\..\\x'],
    'CVE-2023-30172 / -6730 encoded traversal in get-artifact': ['..%2f..%2fetc%2fpasswd', '%2e%2e/%2e%2e/etc/passwd', '%2fetc%2fpasswd'],
    'CVE-2024-1560 double decoding': ['%252e%252e/%252e%252e/etc/passwd', '%25252e%25252e%25252fetc', '..%255c..%255cwindows'],
    'CVE-2024-1483 fragment': ['artifacts#/../../etc', 'a%23b', 'x/%2523/../..'],
    'CVE-2024-1593 path-parameter smuggling': ['a;/../../etc/passwd', 'model;x', 'a%3bb'],
    'query smuggling': ['a?x=../../b', 'a%3Fb'],
    'NUL and control characters': ['a\u0000b', 'a%00b', 'a%2500b', 'line\nbreak', 'a%0db'],
    'over-long': ['x'.repeat(4097), `${'y'.repeat(256)}/z`],
    'endless encoding': [`%${'25'.repeat(11)}2e`],
  };
  for (const [name, paths] of Object.entries(attacks)) {
    it(`refuses ${name}`, () => paths.forEach(rejects));
  }

  it('joins a relative path under a root without ever leaving it', () => {
    assert.equal(joinArtifactPath('1/abc/artifacts', 'model/MLmodel'), '1/abc/artifacts/model/MLmodel');
    assert.equal(joinArtifactPath('1/abc/artifacts', ''), '1/abc/artifacts');
    assert.throws(() => joinArtifactPath('1/abc/artifacts', '../../2/def'), /Invalid path/);
  });
});

describe('proxiedArtifactRoot', () => {
  it('maps mlflow-artifacts URIs (with or without a host) to object-key roots', () => {
    assert.equal(proxiedArtifactRoot('mlflow-artifacts:/1/abc/artifacts'), '1/abc/artifacts');
    assert.equal(proxiedArtifactRoot('mlflow-artifacts://cairn:5000/7/models/m-1/artifacts'), '7/models/m-1/artifacts');
    assert.equal(proxiedArtifactRoot('s3://bucket/x'), undefined);
    assert.throws(() => proxiedArtifactRoot('mlflow-artifacts:/1/../../etc'), /Invalid path/);
  });
});

describe('unquote', () => {
  it("decodes like Python's urllib.parse.unquote", () => {
    assert.equal(unquote('%E6%96%87%20a%2Fb'), '文 a/b');
    assert.equal(unquote('100%.txt %zz %4'), '100%.txt %zz %4');
    assert.equal(unquote('%ff'), '\uFFFD');
  });
});
