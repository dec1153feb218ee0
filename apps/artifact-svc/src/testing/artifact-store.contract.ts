import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { CairnError } from '@cairn/contracts';
import type { ArtifactStore } from '../store/artifact-store';
import { RangeNotSatisfiableError } from '../store/artifact-store';
import { digestOf, patternStream, peakMemoryGrowth, textOf } from './byte-streams';

const MiB = 1024 * 1024;

export interface StoreUnderTest {
  store: ArtifactStore;
  /** What storage still holds for these keys besides visible objects (partial files, open uploads). */
  leftovers(keys: string[]): Promise<string[]>;
  close(): Promise<void>;
}

export interface ContractOptions {
  /** Size of the streamed round trip, and the most memory it may add while it runs. */
  bigObjectBytes: number;
  maxMemoryGrowthBytes: number;
}

const isCode = (code: string, message?: RegExp) => (err: unknown) =>
  err instanceof CairnError && err.code === code && (!message || message.test(err.message));
const put = (store: ArtifactStore, key: string, text: string) => store.put(key, Readable.from([Buffer.from(text)]), Buffer.byteLength(text));

/**
 * What every ArtifactStore backend must do, run against the real thing (a directory on disk,
 * MinIO). Each run works under its own random prefix, so a shared bucket is fine.
 */
export function describeArtifactStoreContract(name: string, open: () => Promise<StoreUnderTest>, options: ContractOptions): void {
  describe(`${name}: the ArtifactStore contract`, () => {
    let target: StoreUnderTest;
    let store: ArtifactStore;
    const root = `contract-${randomUUID()}`;
    const key = (path: string) => `${root}/${path}`;

    before(async () => {
      target = await open();
      store = target.store;
    });
    after(async () => {
      await store.delete(root).catch(() => undefined);
      await target.close();
    });

    it(`streams a ${options.bigObjectBytes / MiB} MiB object in and out with flat memory`, async (t) => {
      const source = patternStream(options.bigObjectBytes);
      let read: { sha256: string; bytes: number } | undefined;
      const growth = await peakMemoryGrowth(async () => {
        await store.put(key('big/blob.bin'), source.stream, options.bigObjectBytes);
        const object = await store.get(key('big/blob.bin'));
        assert.equal(object.size, options.bigObjectBytes);
        read = await digestOf(object.body);
      });
      assert.deepEqual(read, { sha256: source.digest(), bytes: options.bigObjectBytes });
      t.diagnostic(`peak memory growth ${Math.round(growth / MiB)} MiB`);
      assert.ok(growth < options.maxMemoryGrowthBytes, `memory grew by ${Math.round(growth / MiB)} MiB`);
      assert.equal((await store.stat(key('big/blob.bin'))).size, options.bigObjectBytes);
    });

    it('stores unknown-length streams, empty files and unicode names; a put replaces the object', async () => {
      await store.put(key('u/chunked.txt'), Readable.from([Buffer.from('no '), Buffer.from('length')]));
      assert.equal(await textOf((await store.get(key('u/chunked.txt'))).body), 'no length');
      await put(store, key('u/empty'), '');
      const empty = await store.get(key('u/empty'));
      assert.equal(empty.size, 0);
      assert.equal(await textOf(empty.body), '');
      await put(store, key('u/ünïcødé 文件.txt'), 'v1');
      await put(store, key('u/ünïcødé 文件.txt'), 'version 2');
      assert.equal(await textOf((await store.get(key('u/ünïcødé 文件.txt'))).body), 'version 2');
    });

    it('serves byte ranges, and refuses ranges outside the object', async () => {
      await put(store, key('r/digits.txt'), '0123456789');
      const read = async (range: Parameters<ArtifactStore['get']>[1]) => {
        const object = await store.get(key('r/digits.txt'), range);
        return { text: await textOf(object.body), range: object.range, size: object.size };
      };
      assert.deepEqual(await read({ start: 2, end: 4 }), { text: '234', range: { start: 2, end: 4 }, size: 10 });
      assert.deepEqual(await read({ start: 7 }), { text: '789', range: { start: 7, end: 9 }, size: 10 });
      assert.deepEqual(await read({ suffix: 2 }), { text: '89', range: { start: 8, end: 9 }, size: 10 });
      assert.deepEqual(await read({ start: 8, end: 100 }), { text: '89', range: { start: 8, end: 9 }, size: 10 });
      await assert.rejects(store.get(key('r/digits.txt'), { start: 10 }), (err: unknown) => err instanceof RangeNotSatisfiableError && err.size === 10);
    });

    it('lists immediate children: basenames, sizes for files, none for directories', async () => {
      await put(store, key('l/a.txt'), 'a');
      await put(store, key('l/model/MLmodel'), 'flavors: {}');
      await put(store, key('l/model/data/weights.bin'), '1234');
      await put(store, key('l/z.json'), '{"z":1}');
      assert.deepEqual(await store.list(key('l')), [
        { path: 'a.txt', is_dir: false, file_size: 1 },
        { path: 'model', is_dir: true },
        { path: 'z.json', is_dir: false, file_size: 7 },
      ]);
      assert.deepEqual(await store.list(key('l/model')), [
        { path: 'MLmodel', is_dir: false, file_size: 11 },
        { path: 'data', is_dir: true },
      ]);
      assert.deepEqual(await store.list(key('l/missing')), []);
      assert.deepEqual(await store.list(key('l/a.txt')), [], 'a file has no children');
      assert.ok((await store.list('')).some((info) => info.path === root && info.is_dir));
    });

    it('deletes recursively; deleting what is missing is fine; the root cannot be deleted', async () => {
      await put(store, key('d/keep.txt'), 'keep');
      await put(store, key('d/run/artifacts/a.txt'), 'a');
      await put(store, key('d/run/artifacts/deep/b.txt'), 'b');
      await store.delete(key('d/run'));
      assert.deepEqual(await store.list(key('d')), [{ path: 'keep.txt', is_dir: false, file_size: 4 }]);
      await assert.rejects(store.get(key('d/run/artifacts/a.txt')), isCode('RESOURCE_DOES_NOT_EXIST'));
      await store.delete(key('d/keep.txt'));
      await store.delete(key('d/never-there'));
      assert.deepEqual(await store.list(key('d')), []);
      await assert.rejects(store.delete(''), isCode('INVALID_PARAMETER_VALUE'));
    });

    it('reports a missing key, or a directory, as RESOURCE_DOES_NOT_EXIST', async () => {
      await put(store, key('m/dir/file.txt'), 'x');
      for (const missing of [key('m/nope.txt'), key('m/dir'), '']) {
        await assert.rejects(store.get(missing), isCode('RESOURCE_DOES_NOT_EXIST'), missing);
        await assert.rejects(store.stat(missing), isCode('RESOURCE_DOES_NOT_EXIST'), missing);
      }
    });

    it('refuses traversal keys on every operation, touching nothing', async () => {
      const attacks = ['../../etc/passwd', `${root}/../../x`, '/etc/passwd', '..\\..\\x', '%2e%2e/%2e%2e/etc', '%252e%252e/x', 'a#/../..', 'a;/../b', 'a\u0000b'];
      const invalid = isCode('INVALID_PARAMETER_VALUE', /^Invalid path/);
      for (const bad of attacks) {
        await assert.rejects(put(store, bad, 'x'), invalid, `put ${bad}`);
        await assert.rejects(store.get(bad), invalid, `get ${bad}`);
        await assert.rejects(store.stat(bad), invalid, `stat ${bad}`);
        await assert.rejects(store.list(bad), invalid, `list ${bad}`);
        await assert.rejects(store.delete(bad), invalid, `delete ${bad}`);
        await assert.rejects(store.createMultipartUpload(bad, 1), invalid, `mpu ${bad}`);
      }
    });

    it('leaves nothing visible when an upload fails midway, and keeps the previous version whole', async () => {
      await put(store, key('a/model.pkl'), 'version 1');
      const failing = patternStream(24 * MiB, 12 * MiB);
      await assert.rejects(store.put(key('a/model.pkl'), failing.stream, 24 * MiB), /client went away/);
      await assert.rejects(store.put(key('a/new.bin'), patternStream(24 * MiB, 9 * MiB).stream), /client went away/);
      await assert.rejects(store.put(key('a/short.bin'), patternStream(MiB).stream, 2 * MiB), isCode('BAD_REQUEST', /Expected 2097152 bytes/));
      assert.equal(await textOf((await store.get(key('a/model.pkl'))).body), 'version 1');
      await assert.rejects(store.get(key('a/new.bin')), isCode('RESOURCE_DOES_NOT_EXIST'));
      await assert.rejects(store.get(key('a/short.bin')), isCode('RESOURCE_DOES_NOT_EXIST'));
      assert.deepEqual(await store.list(key('a')), [{ path: 'model.pkl', is_dir: false, file_size: 9 }]);
      assert.deepEqual(await target.leftovers([key('a/model.pkl'), key('a/new.bin'), key('a/short.bin')]), []);
    });
  });
}
