import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DiskPaths, isPartialName, partialPathFor } from './disk-paths';

describe('DiskPaths', () => {
  const paths = new DiskPaths('/srv/artifacts/');

  it('maps canonical keys under the root', () => {
    assert.equal(paths.resolve(''), '/srv/artifacts');
    assert.equal(paths.resolve('1/run/artifacts/model/MLmodel'), '/srv/artifacts/1/run/artifacts/model/MLmodel');
    assert.equal(paths.resolve('a//./b'), '/srv/artifacts/a/b');
  });

  it('refuses every key that would leave the root, and the names of bytes in flight', () => {
    for (const key of ['..', '../x', 'a/../../x', '/etc/passwd', 'a\\..\\b', '%2e%2e/x', 'x/y.0123456789abcdef.partial', 'y.0123456789abcdef.partial/z']) {
      assert.throws(() => paths.resolve(key), /Invalid path/, key);
    }
  });

  it('names partial files beside their target, hidden and bounded in length', () => {
    const partial = partialPathFor('/srv/artifacts/a/model.pkl');
    assert.equal(path.dirname(partial), '/srv/artifacts/a');
    assert.match(path.basename(partial), /^model\.pkl\.[0-9a-f]{16}\.partial$/);
    assert.ok(isPartialName(path.basename(partial)));
    assert.notEqual(partialPathFor('/x/a'), partialPathFor('/x/a'));
    const long = partialPathFor(`/x/${'é'.repeat(127)}`);
    assert.ok(Buffer.byteLength(path.basename(long)) <= 255);
    assert.equal(isPartialName('model.partial'), false);
  });
});
