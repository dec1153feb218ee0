import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { request } from 'node:http';
import type { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { Logger } from '@nestjs/common';
import { readArtifactServiceSettings } from '@cairn/config';
import { ObjectsService } from '../objects/objects.service';
import { S3ArtifactStore } from '../store/s3/s3-artifact-store';
import { patternStream } from '../testing/byte-streams';
import { eventually } from '../testing/http-client';
import { DataPlaneServer } from './data-plane.server';

const MiB = 1024 * 1024;

// The data plane in front of a real MinIO (scripts/test-minio.sh): multi-part objects, ranges
// across part boundaries, and clients that go away.
describe('the artifact data plane over HTTP (S3 store on MinIO)', () => {
  const destination = readArtifactServiceSettings().destination;
  if (destination.kind !== 's3') throw new Error('Set CAIRN_ARTIFACTS_DESTINATION=s3://… (scripts/test-minio.sh does)');
  const root = `data-plane-${randomUUID()}`;
  const opened: Readable[] = [];
  let store: S3ArtifactStore;
  let server: DataPlaneServer;
  let base: string;

  before(async () => {
    Logger.overrideLogger(false);
    store = new S3ArtifactStore(destination.bucket, destination.prefix, destination.s3);
    const objects = new ObjectsService(store);
    const get = objects.get.bind(objects);
    objects.get = async (...args) => {
      const read = await get(...args);
      opened.push(read.body);
      return read;
    };
    server = new DataPlaneServer({ host: '127.0.0.1', port: 0 }, objects);
    await server.onApplicationBootstrap();
    base = `${server.url()}/objects/${root}`;
  });
  after(async () => {
    await server.beforeApplicationShutdown();
    await store.delete(root);
    await store.close();
  });

  it('uploads a multi-part object and serves it whole and by ranges across part boundaries', async () => {
    const size = 20 * MiB + 17;
    const source = patternStream(size);
    const body = new ReadableStream({
      async start(controller) {
        for await (const chunk of source.stream) controller.enqueue(new Uint8Array(chunk as Buffer));
        controller.close();
      },
    });
    const put = await fetch(`${base}/big.bin`, { method: 'PUT', body, duplex: 'half', headers: { 'content-length': String(size) } } as RequestInit);
    assert.equal(put.status, 200);

    const whole = await fetch(`${base}/big.bin`);
    assert.equal(whole.headers.get('content-length'), String(size));
    assert.equal(createHash('sha256').update(Buffer.from(await whole.arrayBuffer())).digest('hex'), source.digest());

    const boundary = 8 * MiB;
    const ranged = await fetch(`${base}/big.bin`, { headers: { range: `bytes=${boundary - 3}-${boundary + 2}` } });
    assert.equal(ranged.status, 206);
    assert.equal(ranged.headers.get('content-range'), `bytes ${boundary - 3}-${boundary + 2}/${size}`);
    assert.equal((await ranged.arrayBuffer()).byteLength, 6);
    const outside = await fetch(`${base}/big.bin`, { headers: { range: `bytes=${size}-` } });
    assert.equal(outside.status, 416);
    assert.equal(outside.headers.get('content-range'), `bytes */${size}`);
    await outside.arrayBuffer();

    const head = await fetch(`${base}/big.bin`, { method: 'HEAD' });
    assert.equal(head.headers.get('content-length'), String(size));
    assert.equal((await fetch(`${base}/nothing-here`)).status, 404);
  });

  it('closes the store stream when a client disconnects mid-download', async () => {
    opened.length = 0;
    await new Promise<void>((resolve, reject) => {
      const download = request(`${base}/big.bin`, (response) => {
        response.once('data', () => {
          download.destroy();
          resolve();
        });
      });
      download.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' ? undefined : reject(err)));
      download.end();
    });
    assert.equal(opened.length, 1);
    assert.ok(await eventually(async () => opened[0]!.destroyed), 'the S3 response stream is destroyed');
  });

  it('leaves nothing when a client disconnects mid-upload', async () => {
    const { stream } = patternStream(40 * MiB, 20 * MiB);
    const upload = request(`${base}/abandoned.bin`, { method: 'PUT', headers: { 'content-length': String(40 * MiB) } });
    upload.on('error', () => undefined);
    stream.on('error', () => upload.destroy());
    stream.pipe(upload);
    await new Promise((resolve) => upload.on('close', resolve));
    assert.ok(
      await eventually(async () => (await fetch(`${base}/abandoned.bin`, { method: 'HEAD' })).status === 404 && (await store.list(root)).every((f) => f.path !== 'abandoned.bin')),
    );
  });
});
