import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { createServer } from 'node:net';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { Logger } from '@nestjs/common';
import { CairnError } from '@cairn/contracts';
import { S3ArtifactStore } from './s3-artifact-store';

const settings = (endpoint: string) => ({ endpoint, region: 'us-east-1', accessKeyId: 'k', secretAccessKey: 'secret-key', forcePathStyle: true });
const unavailable = (err: unknown) =>
  err instanceof CairnError && err.code === 'TEMPORARILY_UNAVAILABLE' && /^The artifact store \(s3:\/\/bucket\/prefix\) /.test(err.message);

async function quickly<T>(work: () => Promise<T>, withinMs: number): Promise<void> {
  const started = Date.now();
  await assert.rejects(work(), unavailable);
  const took = Date.now() - started;
  assert.ok(took < withinMs, `took ${took} ms`);
}

// No MinIO needed: these are stores that cannot answer. Each must fail fast with a clear 503.
describe('S3ArtifactStore against a store that cannot answer', () => {
  let closedPort: number;
  let silent: ReturnType<typeof createServer>;
  let silentPort: number;
  const sockets: Socket[] = [];

  before(async () => {
    Logger.overrideLogger(false);
    const probe = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => probe.once('listening', resolve));
    closedPort = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    // Accepts connections and never says a word: a hung store.
    silent = createServer((socket) => sockets.push(socket)).listen(0, '127.0.0.1');
    await new Promise((resolve) => silent.once('listening', resolve));
    silentPort = (silent.address() as { port: number }).port;
  });
  after(async () => {
    sockets.forEach((s) => s.destroy());
    await new Promise((resolve) => silent.close(resolve));
  });

  it('reports a refused connection as TEMPORARILY_UNAVAILABLE within a few seconds, on every operation', async () => {
    const store = new S3ArtifactStore('bucket', 'prefix', settings(`http://127.0.0.1:${closedPort}`));
    try {
      await quickly(() => store.get('1/r/artifacts/a.txt'), 3_000);
      await quickly(() => store.stat('1/r/artifacts/a.txt'), 3_000);
      await quickly(() => store.list('1/r/artifacts'), 3_000);
      await quickly(() => store.put('1/r/artifacts/a.txt', Readable.from([Buffer.from('abc')]), 3), 3_000);
      await quickly(() => store.delete('1/r/artifacts'), 3_000);
      await quickly(() => store.createMultipartUpload('1/r/artifacts/big.bin', 2), 3_000);
      await quickly(() => store.probe(1_000), 3_000);
    } finally {
      await store.close();
    }
  });

  it('reports a store that accepts connections but never answers as TEMPORARILY_UNAVAILABLE, not a hang', async () => {
    const timeouts = { connectMs: 500, responseMs: 700, idleMs: 700, maxAttempts: 1 };
    const store = new S3ArtifactStore('bucket', 'prefix', settings(`http://127.0.0.1:${silentPort}`), timeouts);
    try {
      await quickly(() => store.get('1/r/artifacts/a.txt'), 3_000);
      await quickly(() => store.list(''), 3_000);
      // readiness has its own, shorter deadline than the store's default timeouts
      const patient = new S3ArtifactStore('bucket', 'prefix', settings(`http://127.0.0.1:${silentPort}`));
      await quickly(() => patient.probe(500), 1_500).finally(() => patient.close());
    } finally {
      await store.close();
    }
  });
});
