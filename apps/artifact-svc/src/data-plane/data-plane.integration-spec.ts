import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Logger } from '@nestjs/common';
import type { WireError } from '@cairn/contracts';
import { ObjectsService } from '../objects/objects.service';
import { DiskArtifactStore } from '../store/disk/disk-artifact-store';
import { isPartialName } from '../store/disk/disk-paths';
import { patternStream } from '../testing/byte-streams';
import { descriptorsOf, eventually, rawExchange } from '../testing/http-client';
import { DataPlaneServer } from './data-plane.server';

const MiB = 1024 * 1024;

describe('the artifact data plane over HTTP (disk store)', () => {
  let root: string;
  let server: DataPlaneServer;
  let base: string;
  let port: number;
  const url = (key: string) => `${base}/objects/${key.split('/').map(encodeURIComponent).join('/')}`;

  before(async () => {
    Logger.overrideLogger(false);
    root = await mkdtemp(path.join(tmpdir(), 'cairn-data-plane-'));
    server = new DataPlaneServer({ host: '127.0.0.1', port: 0 }, new ObjectsService(new DiskArtifactStore(root)));
    await server.onApplicationBootstrap();
    base = server.url();
    port = Number(new URL(base).port);
  });
  after(async () => {
    await server.beforeApplicationShutdown();
    await rm(root, { recursive: true, force: true });
  });

  it('PUTs (known length and chunked), GETs and HEADs an object', async () => {
    const put = await fetch(url('1/r/artifacts/dir/文 件.txt'), { method: 'PUT', body: 'hello world' });
    assert.equal(put.status, 200);
    assert.deepEqual(await put.json(), {});
    const chunked = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('streamed '));
        controller.enqueue(new TextEncoder().encode('body'));
        controller.close();
      },
    });
    const putChunked = await fetch(url('1/r/artifacts/chunked.txt'), { method: 'PUT', body: chunked, duplex: 'half' } as RequestInit);
    assert.equal(putChunked.status, 200);

    const get = await fetch(url('1/r/artifacts/dir/文 件.txt'));
    assert.equal(get.status, 200);
    assert.equal(await get.text(), 'hello world');
    assert.equal(get.headers.get('content-length'), '11');
    assert.equal(get.headers.get('accept-ranges'), 'bytes');
    assert.equal(get.headers.get('content-type'), 'application/octet-stream');
    assert.ok(get.headers.get('last-modified'));
    assert.equal(await (await fetch(url('1/r/artifacts/chunked.txt'))).text(), 'streamed body');

    const head = await fetch(url('1/r/artifacts/dir/文 件.txt'), { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), '11');
    assert.equal(await head.text(), '');
  });

  it('serves Range requests with 206, refuses unsatisfiable ones with 416, and drops a stale If-Range', async () => {
    await fetch(url('r/digits.txt'), { method: 'PUT', body: '0123456789' });
    const partial = await fetch(url('r/digits.txt'), { headers: { range: 'bytes=2-5' } });
    assert.equal(partial.status, 206);
    assert.equal(partial.headers.get('content-range'), 'bytes 2-5/10');
    assert.equal(partial.headers.get('content-length'), '4');
    assert.equal(await partial.text(), '2345');
    const suffix = await fetch(url('r/digits.txt'), { headers: { range: 'bytes=-3' } });
    assert.equal(await suffix.text(), '789');

    const outside = await fetch(url('r/digits.txt'), { headers: { range: 'bytes=10-' } });
    assert.equal(outside.status, 416);
    assert.equal(outside.headers.get('content-range'), 'bytes */10');
    assert.equal(((await outside.json()) as WireError).code, 'INVALID_PARAMETER_VALUE');

    const multi = await fetch(url('r/digits.txt'), { headers: { range: 'bytes=0-1,4-5' } });
    assert.equal(multi.status, 200, 'several ranges: the whole object');
    await multi.arrayBuffer();

    const modified = (await fetch(url('r/digits.txt'), { method: 'HEAD' })).headers.get('last-modified')!;
    const fresh = await fetch(url('r/digits.txt'), { headers: { range: 'bytes=0-0', 'if-range': modified } });
    assert.equal(fresh.status, 206);
    await fresh.arrayBuffer();
    const stale = await fetch(url('r/digits.txt'), { headers: { range: 'bytes=0-0', 'if-range': 'Thu, 01 Jan 2015 00:00:00 GMT' } });
    assert.equal(stale.status, 200);
    assert.equal(await stale.text(), '0123456789');
  });

  it('answers errors as WireError JSON with their status', async () => {
    const expect = async (response: Promise<Response>, status: number, code: string) => {
      const answer = await response;
      assert.equal(answer.status, status);
      assert.equal(answer.headers.get('content-type'), 'application/json');
      const body = (await answer.json()) as WireError;
      assert.equal(body.code, code);
      assert.equal(typeof body.message, 'string');
      return body;
    };
    await fetch(url('e/dir/file.txt'), { method: 'PUT', body: 'x' });
    await expect(fetch(url('e/missing.txt')), 404, 'RESOURCE_DOES_NOT_EXIST');
    await expect(fetch(url('e/dir')), 404, 'RESOURCE_DOES_NOT_EXIST');
    assert.equal((await fetch(url('e/missing.txt'), { method: 'HEAD' })).status, 404);
    await expect(fetch(`${base}/objects/..%2F..%2Fetc%2Fpasswd`), 400, 'INVALID_PARAMETER_VALUE');
    await expect(fetch(`${base}/objects/e/%252e%252e/%252e%252e/x`), 400, 'INVALID_PARAMETER_VALUE');
    await expect(fetch(`${base}/objects/`, { method: 'PUT', body: 'x' }), 400, 'INVALID_PARAMETER_VALUE');
    await expect(fetch(`${base}/elsewhere`), 404, 'ENDPOINT_NOT_FOUND');
    const refused = await expect(fetch(url('e/dir/file.txt'), { method: 'DELETE' }), 405, 'ENDPOINT_NOT_FOUND');
    assert.match(refused.message, /DELETE/);
    const noBody = await rawExchange(port, 'PUT /objects/e/x.txt HTTP/1.1\r\nHost: a\r\n\r\n');
    assert.match(noBody, /^HTTP\/1\.1 411 /);
    assert.match(noBody, /"code":"BAD_REQUEST"/);
  });

  it('answers a store refusal with JSON even while the request body is still coming', async () => {
    await fetch(url('w/file'), { method: 'PUT', body: 'f' });
    const answer = await fetch(url('w/file/below.bin'), { method: 'PUT', body: new Uint8Array(4 * MiB) });
    assert.equal(answer.status, 400);
    assert.match(((await answer.json()) as WireError).message, /a parent of it is a file/);
  });

  it('cleans up after a client that disconnects mid-upload: nothing visible, nothing partial', async () => {
    const { stream } = patternStream(64 * MiB, 8 * MiB);
    const upload = request(url('a/abandoned.bin'), { method: 'PUT', headers: { 'content-length': String(64 * MiB) } });
    upload.on('error', () => undefined);
    stream.on('error', () => upload.destroy());
    stream.pipe(upload);
    const dir = path.join(root, 'a');
    await new Promise((resolve) => upload.on('close', resolve));
    assert.ok(await eventually(() => stat(dir).then(() => true, () => false)), 'the upload reached the store');
    assert.ok(await eventually(async () => (await readdir(dir)).filter(isPartialName).length === 0), 'the partial file is removed');
    assert.deepEqual(await readdir(dir), []);
    assert.equal((await fetch(url('a/abandoned.bin'))).status, 404);
  });

  it('releases the file when a client disconnects mid-download', async () => {
    await fetch(url('d/big.bin'), { method: 'PUT', body: new Uint8Array(32 * MiB) });
    const file = path.join(root, 'd', 'big.bin');
    for (let round = 0; round < 5; round++) {
      await new Promise<void>((resolve, reject) => {
        const download = request(url('d/big.bin'), (response) => {
          assert.equal(response.statusCode, 200);
          response.once('data', () => {
            download.destroy();
            resolve();
          });
        });
        download.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' ? undefined : reject(err)));
        download.end();
      });
    }
    assert.ok(await eventually(async () => (await descriptorsOf(file)) === 0), 'no descriptor of the file stays open');
  });

  it('answers GET /health with 200 while the store is usable, 503 naming the store when it is not', async () => {
    assert.deepEqual(await (await fetch(`${base}/health`)).json(), { store: 'ok' });
    const blocked = path.join(root, 'blocked-volume');
    await writeFile(blocked, 'a file where a directory should be');
    const other = new DataPlaneServer({ host: '127.0.0.1', port: 0 }, new ObjectsService(new DiskArtifactStore(path.join(blocked, 'root'))));
    await other.onApplicationBootstrap();
    try {
      const down = await fetch(`${other.url()}/health`);
      assert.equal(down.status, 503);
      const wire = (await down.json()) as WireError;
      assert.equal(wire.code, 'TEMPORARILY_UNAVAILABLE');
      assert.match(wire.message, /^The artifact store \(local disk\) is not usable/);
    } finally {
      await other.beforeApplicationShutdown();
    }
  });

  it('stops listening on shutdown', async () => {
    const other = new DataPlaneServer({ host: '127.0.0.1', port: 0 }, new ObjectsService(new DiskArtifactStore(root)));
    await other.onApplicationBootstrap();
    const otherUrl = other.url();
    assert.equal(await (await fetch(`${otherUrl}/objects/r/digits.txt`)).text(), '0123456789');
    await other.beforeApplicationShutdown();
    await assert.rejects(fetch(`${otherUrl}/objects/r/digits.txt`));
  });
});
