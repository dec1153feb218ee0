import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import type { Server, Socket } from 'node:net';
import { connect, createServer } from 'node:net';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@nestjs/common';
import type { S3Settings } from '@cairn/config';
import { readArtifactServiceSettings } from '@cairn/config';
import { CairnError } from '@cairn/contracts';
import { describeArtifactStoreContract } from '../../testing/artifact-store.contract';
import { digestOf, textOf } from '../../testing/byte-streams';
import { S3ArtifactStore } from './s3-artifact-store';

// Run by scripts/test-minio.sh against a real MinIO: CAIRN_ARTIFACTS_DESTINATION=s3://bucket/prefix
// and CAIRN_S3_* name it, exactly as they configure artifact-svc.
const MiB = 1024 * 1024;
const destination = readArtifactServiceSettings().destination;
if (destination.kind !== 's3') throw new Error('Set CAIRN_ARTIFACTS_DESTINATION=s3://… (scripts/test-minio.sh does)');
const { bucket, prefix, s3 } = destination;
const rawClient = () =>
  new S3Client({ endpoint: s3.endpoint, region: s3.region, forcePathStyle: true, credentials: { accessKeyId: s3.accessKeyId ?? '', secretAccessKey: s3.secretAccessKey ?? '' } });
const isCode = (code: string, message?: RegExp) => (err: unknown) => err instanceof CairnError && err.code === code && (!message || message.test(err.message));

/** Multipart uploads still open for these keys. MinIO lists them only by exact object name. */
async function pendingUploads(client: S3Client, keys: string[]): Promise<string[]> {
  const open: string[] = [];
  for (const key of keys) {
    const out = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: [prefix, key].filter(Boolean).join('/') }));
    open.push(...(out.Uploads ?? []).map((upload) => `${upload.Key} (${upload.UploadId})`));
  }
  return open;
}

Logger.overrideLogger(false);

describeArtifactStoreContract(
  'S3ArtifactStore on MinIO',
  async () => {
    const client = rawClient();
    return {
      store: new S3ArtifactStore(bucket, prefix, s3),
      leftovers: (keys) => pendingUploads(client, keys),
      close: async () => client.destroy(),
    };
  },
  { bigObjectBytes: 256 * MiB, maxMemoryGrowthBytes: 128 * MiB },
);

describe('S3ArtifactStore multipart upload with presigned part URLs (MinIO)', () => {
  let store: S3ArtifactStore;
  let client: S3Client;
  const root = `mpu-${randomUUID()}`;
  const part = (size: number, fill: number) => Buffer.alloc(size, fill);

  before(() => {
    store = new S3ArtifactStore(bucket, prefix, s3);
    client = rawClient();
  });
  after(async () => {
    await store.delete(root);
    await store.close();
    client.destroy();
  });

  async function putPart(url: string, body: Buffer): Promise<string> {
    const answer = await fetch(url, { method: 'PUT', body });
    assert.equal(answer.status, 200, await answer.clone().text());
    return answer.headers.get('etag')!;
  }

  it('creates an upload, takes the parts straight from the client, and completes it into one object', async () => {
    const key = `${root}/run/artifacts/big.bin`;
    const created = await store.createMultipartUpload(key, 2);
    assert.ok(created.upload_id);
    assert.deepEqual(
      created.credentials.map((c) => ({ part: c.part_number, headers: c.headers })),
      [
        { part: 1, headers: {} },
        { part: 2, headers: {} },
      ],
    );
    for (const { url } of created.credentials) {
      const signed = new URL(url);
      assert.equal(signed.origin, s3.endpoint);
      assert.ok(signed.searchParams.get('X-Amz-Signature'));
      assert.ok(![...signed.searchParams.keys()].some((name) => /checksum/i.test(name)), 'no checksum pinned to the part URL');
    }
    const parts = [part(5 * MiB, 1), part(123, 2)];
    const etags = await Promise.all(created.credentials.map((c, i) => putPart(c.url, parts[i]!)));
    await assert.rejects(store.get(key), isCode('RESOURCE_DOES_NOT_EXIST'), 'invisible until completed');
    await store.completeMultipartUpload(
      key,
      created.upload_id,
      etags.map((etag, i) => ({ part_number: i + 1, etag })).reverse(),
    );
    const read = await digestOf((await store.get(key)).body);
    assert.deepEqual(read, { sha256: createHash('sha256').update(Buffer.concat(parts)).digest('hex'), bytes: 5 * MiB + 123 });
    assert.deepEqual(await pendingUploads(client, [key]), []);
  });

  it('aborts an upload: its parts are discarded and it cannot be completed; aborting again is fine', async () => {
    const key = `${root}/run/artifacts/aborted.bin`;
    const created = await store.createMultipartUpload(key, 1);
    const etag = await putPart(created.credentials[0]!.url, part(1000, 3));
    assert.equal((await pendingUploads(client, [key])).length, 1);
    await store.abortMultipartUpload(key, created.upload_id);
    assert.deepEqual(await pendingUploads(client, [key]), []);
    await assert.rejects(store.completeMultipartUpload(key, created.upload_id, [{ part_number: 1, etag }]), isCode('RESOURCE_DOES_NOT_EXIST'));
    await store.abortMultipartUpload(key, created.upload_id);
    await assert.rejects(store.get(key), isCode('RESOURCE_DOES_NOT_EXIST'));
  });

  it('refuses bad part counts and parts the store does not have', async () => {
    const key = `${root}/run/artifacts/bad.bin`;
    await assert.rejects(store.createMultipartUpload(key, 0), isCode('INVALID_PARAMETER_VALUE', /num_parts/));
    await assert.rejects(store.createMultipartUpload(key, 10_001), isCode('INVALID_PARAMETER_VALUE', /num_parts/));
    const created = await store.createMultipartUpload(key, 1);
    await putPart(created.credentials[0]!.url, part(10, 4));
    await assert.rejects(store.completeMultipartUpload(key, created.upload_id, [{ part_number: 1, etag: '"0000"' }]), isCode('INVALID_PARAMETER_VALUE', /InvalidPart/));
    await assert.rejects(store.completeMultipartUpload(key, created.upload_id, []), isCode('INVALID_PARAMETER_VALUE'));
    await store.abortMultipartUpload(key, created.upload_id);
  });

  it('signs part URLs for the public endpoint when one is configured', async () => {
    // A TCP relay stands in for the address clients use (an ingress, a load balancer).
    const sockets: Socket[] = [];
    const relay: Server = createServer((inbound) => {
      const outbound = connect(Number(new URL(s3.endpoint!).port), '127.0.0.1');
      sockets.push(inbound, outbound);
      inbound.pipe(outbound).pipe(inbound);
      inbound.on('error', () => outbound.destroy());
      outbound.on('error', () => inbound.destroy());
    }).listen(0, '127.0.0.1');
    await new Promise((resolve) => relay.once('listening', resolve));
    const publicEndpoint = `http://127.0.0.1:${(relay.address() as { port: number }).port}`;
    const published = new S3ArtifactStore(bucket, prefix, { ...s3, publicEndpoint } satisfies S3Settings);
    try {
      const key = `${root}/run/artifacts/public.bin`;
      const created = await published.createMultipartUpload(key, 1);
      assert.equal(new URL(created.credentials[0]!.url).origin, publicEndpoint);
      const etag = await putPart(created.credentials[0]!.url, Buffer.from('through the public endpoint'));
      await published.completeMultipartUpload(key, created.upload_id, [{ part_number: 1, etag }]);
      assert.equal(await textOf((await published.get(key)).body), 'through the public endpoint');
    } finally {
      await published.close();
      sockets.forEach((s) => s.destroy());
      await new Promise((resolve) => relay.close(resolve));
    }
  });
});

describe('S3ArtifactStore with a misconfigured store (MinIO)', () => {
  it('reports wrong credentials and a missing bucket as TEMPORARILY_UNAVAILABLE with a clear message', async () => {
    const wrongKey = new S3ArtifactStore(bucket, prefix, { ...s3, secretAccessKey: 'not-the-secret' });
    const noBucket = new S3ArtifactStore(`missing-${randomUUID().slice(0, 8)}`, '', s3);
    try {
      await assert.rejects(wrongKey.list(''), isCode('TEMPORARILY_UNAVAILABLE', /refused Cairn's credentials \(SignatureDoesNotMatch\)/));
      await assert.rejects(
        wrongKey.put('x.txt', Readable.from([Buffer.from('x')]), 1),
        isCode('TEMPORARILY_UNAVAILABLE', /refused Cairn's credentials/),
      );
      await assert.rejects(noBucket.list(''), isCode('TEMPORARILY_UNAVAILABLE', /has no such bucket/));
      await assert.rejects(noBucket.get('x.txt'), isCode('TEMPORARILY_UNAVAILABLE', /has no such bucket/));
      await assert.rejects(wrongKey.probe(1_500), isCode('TEMPORARILY_UNAVAILABLE', /refused Cairn's credentials/));
      await assert.rejects(noBucket.probe(1_500), isCode('TEMPORARILY_UNAVAILABLE', /has no such bucket/));
    } finally {
      await wrongKey.close();
      await noBucket.close();
    }
  });
});

/** A TCP path to MinIO that can be cut and restored on the same port: the store goes away and comes back. */
async function cuttableRoute(target: URL): Promise<{ endpoint: string; cut(): Promise<void>; restore(): Promise<void>; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const open = async () => {
    server = createServer((inbound) => {
      const outbound = connect(Number(target.port), target.hostname);
      for (const socket of [inbound, outbound]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      inbound.pipe(outbound).pipe(inbound);
    }).listen(port, '127.0.0.1');
    await new Promise((resolve) => server!.once('listening', resolve));
    port = (server.address() as { port: number }).port;
  };
  const cut = async () => {
    sockets.forEach((s) => s.destroy());
    await new Promise((resolve) => server!.close(resolve));
  };
  await open();
  return { endpoint: `http://127.0.0.1:${port}`, cut, restore: open, close: cut };
}

describe('S3ArtifactStore readiness while MinIO goes away and comes back', () => {
  it('probes ready, then TEMPORARILY_UNAVAILABLE within its deadline, then ready again', async () => {
    const route = await cuttableRoute(new URL(s3.endpoint ?? ''));
    const store = new S3ArtifactStore(bucket, prefix, { ...s3, endpoint: route.endpoint });
    try {
      await store.probe(1_500);
      await store.put('readiness/a.txt', Readable.from([Buffer.from('a')]), 1);
      await route.cut();
      const started = Date.now();
      await assert.rejects(store.probe(1_500), isCode('TEMPORARILY_UNAVAILABLE', /^The artifact store \(s3:\/\/.+\) is unreachable \(ECONNREFUSED\)/));
      await assert.rejects(store.get('readiness/a.txt'), isCode('TEMPORARILY_UNAVAILABLE', /is unreachable/));
      assert.ok(Date.now() - started < 6_000, `took ${Date.now() - started} ms`);
      await route.restore();
      await store.probe(1_500);
      assert.equal(await textOf((await store.get('readiness/a.txt')).body), 'a');
    } finally {
      await store.close();
      await route.close().catch(() => undefined);
    }
  });
});
