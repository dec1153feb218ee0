import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { CairnError, MULTIPART_NOT_SUPPORTED } from '@cairn/contracts';
import { describeArtifactStoreContract } from '../../testing/artifact-store.contract';
import { DiskArtifactStore } from './disk-artifact-store';
import { isPartialName } from './disk-paths';

const MiB = 1024 * 1024;

async function partialsUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => [])) {
    if (isPartialName(entry.name)) found.push(path.join(entry.parentPath ?? entry.path, entry.name));
  }
  return found;
}

describeArtifactStoreContract(
  'DiskArtifactStore',
  async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'cairn-artifacts-'));
    return {
      store: new DiskArtifactStore(root),
      leftovers: async (keys) => (await Promise.all(keys.map((key) => partialsUnder(path.dirname(path.join(root, key)))))).flat(),
      close: () => rm(root, { recursive: true, force: true }),
    };
  },
  { bigObjectBytes: 256 * MiB, maxMemoryGrowthBytes: 80 * MiB },
);

describe('DiskArtifactStore specifics', () => {
  let parent: string;
  let root: string;
  let store: DiskArtifactStore;

  before(async () => {
    parent = await mkdtemp(path.join(tmpdir(), 'cairn-artifacts-'));
    root = path.join(parent, 'root');
    store = new DiskArtifactStore(root);
  });
  after(() => rm(parent, { recursive: true, force: true }));

  it('creates the root on the first write and keeps every byte under it', async () => {
    await writeFile(path.join(parent, 'secret.txt'), 'outside');
    await store.put('1/r/artifacts/a.txt', Readable.from([Buffer.from('a')]), 1);
    assert.deepEqual(await readdir(root), ['1']);
    await assert.rejects(store.get('../secret.txt'), /Invalid path/);
    assert.deepEqual((await readdir(parent)).sort(), ['root', 'secret.txt']);
  });

  it("answers multipart requests with MLflow's not-supported message, so clients fall back to one PUT", async () => {
    const notSupported = (err: unknown) => err instanceof CairnError && err.code === 'NOT_IMPLEMENTED' && err.message === MULTIPART_NOT_SUPPORTED;
    await assert.rejects(store.createMultipartUpload('1/r/artifacts/big.bin', 3), notSupported);
    await assert.rejects(store.completeMultipartUpload('1/r/artifacts/big.bin', 'u', [{ part_number: 1, etag: 'e' }]), notSupported);
    await assert.rejects(store.abortMultipartUpload('1/r/artifacts/big.bin', 'u'), notSupported);
  });

  it('refuses to write a file below a file or over a directory', async () => {
    await store.put('x/file', Readable.from([Buffer.from('f')]), 1);
    await assert.rejects(store.put('x/file/below', Readable.from([Buffer.from('b')]), 1), /a parent of it is a file/);
    await assert.rejects(store.put('x', Readable.from([Buffer.from('d')]), 1), /it is a directory/);
    assert.deepEqual(await partialsUnder(root), []);
  });

  it('hides bytes in flight from listings and reads', async () => {
    await writeFile(path.join(root, '1', 'r', 'artifacts', 'a.txt.0123456789abcdef.partial'), 'half');
    assert.deepEqual(await store.list('1/r/artifacts'), [{ path: 'a.txt', is_dir: false, file_size: 1 }]);
    await assert.rejects(store.get('1/r/artifacts/a.txt.0123456789abcdef.partial'), /Invalid path/);
  });

  it('does not follow a planted symlink out of the root when deleting', async () => {
    await symlink(parent, path.join(root, 'escape'));
    await store.delete('escape');
    assert.ok((await readdir(parent)).includes('secret.txt'));
  });
});
