import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Pool } from 'pg';
import type { CreateMultipartUploadResponse, ListArtifactsResponse, PingResponse } from '@cairn/contracts';
import { ArtifactPatterns, CairnError, HealthPatterns, MULTIPART_NOT_SUPPORTED } from '@cairn/contracts';
import { InProcessClient, InProcessServer, JsonLogger, ServiceClient, upgradeSchema } from '@cairn/nest-common';
import type { TestDatabase } from '@cairn/testing';
import { createTestDatabase } from '@cairn/testing';
import { ArtifactServiceModule } from './artifact-svc.module';
import { DataPlaneServer } from './data-plane/data-plane.server';
import { artifactsSchema } from './migrations';

// artifact-svc as the all-in-one server mounts it: its message handlers on the in-process
// transport (the same contracts as NATS) and its data plane started by the Nest lifecycle.
describe('artifact-svc (control plane on the transport, data plane on HTTP)', () => {
  let database: TestDatabase;
  let root: string;
  let app: INestMicroservice;
  let client: ServiceClient;
  let dataPlane: string;

  before(async () => {
    database = await createTestDatabase();
    const pool = new Pool({ connectionString: database.url, max: 1 });
    await upgradeSchema(pool, artifactsSchema);
    await pool.end();
    root = await mkdtemp(path.join(tmpdir(), 'cairn-artifact-svc-'));
    const transport = new InProcessServer();
    const module = ArtifactServiceModule.register(
      { databaseUrl: database.url, poolSize: 2 },
      { destination: { kind: 'file', root }, dataPlaneHost: '127.0.0.1', dataPlanePort: 0 },
    );
    app = await NestFactory.createMicroservice(module, { strategy: transport, logger: new JsonLogger('test', 'error', () => undefined) });
    await app.listen();
    dataPlane = app.get(DataPlaneServer).url();
    client = new ServiceClient(new InProcessClient(transport), 5_000);
  });
  after(async () => {
    await app?.close();
    await rm(root, { recursive: true, force: true });
    await database?.drop();
  });

  it('stores bytes over the data plane and lists and deletes them over messages', async () => {
    for (const [key, body] of [
      ['1/run/artifacts/model/MLmodel', 'flavors: {}'],
      ['1/run/artifacts/notes.txt', 'hi'],
    ]) {
      const put = await fetch(`${dataPlane}/objects/${key}`, { method: 'PUT', body });
      assert.equal(put.status, 200);
    }
    const listed = await client.call<ListArtifactsResponse>(ArtifactPatterns.list, { path: '1/run/artifacts' });
    assert.deepEqual(listed, {
      files: [
        { path: 'model', is_dir: true },
        { path: 'notes.txt', is_dir: false, file_size: 2 },
      ],
    });
    assert.deepEqual(await client.call(ArtifactPatterns.list, { path: '1/run/artifacts/missing' }), { files: [] });
    assert.deepEqual(await client.call(ArtifactPatterns.delete, { path: '1/run/artifacts/model' }), {});
    assert.equal((await fetch(`${dataPlane}/objects/1/run/artifacts/model/MLmodel`)).status, 404);
    assert.deepEqual(await client.call<PingResponse>(HealthPatterns.artifacts, {}), { service: 'artifacts', database: 'ok' });
  });

  it('carries domain errors over the transport with their codes', async () => {
    const fails = (code: string, message: RegExp | string) => (err: unknown) =>
      err instanceof CairnError && err.code === code && (typeof message === 'string' ? err.message === message : message.test(err.message));
    await assert.rejects(client.call(ArtifactPatterns.list, { path: '../../etc' }), fails('INVALID_PARAMETER_VALUE', 'Invalid path'));
    await assert.rejects(client.call(ArtifactPatterns.delete, { path: '%252e%252e/x' }), fails('INVALID_PARAMETER_VALUE', 'Invalid path'));
    await assert.rejects(client.call(ArtifactPatterns.delete, { path: '' }), fails('INVALID_PARAMETER_VALUE', /root cannot be deleted/));
    await assert.rejects(
      client.call<CreateMultipartUploadResponse>(ArtifactPatterns.mpuCreate, { path: '1/run/artifacts/big.bin', num_parts: 3 }),
      fails('NOT_IMPLEMENTED', MULTIPART_NOT_SUPPORTED),
    );
    await assert.rejects(
      client.call(ArtifactPatterns.mpuComplete, { path: '1/run/artifacts/big.bin', upload_id: 'u', parts: [] }),
      fails('NOT_IMPLEMENTED', MULTIPART_NOT_SUPPORTED),
    );
    await assert.rejects(client.call(ArtifactPatterns.mpuAbort, { path: '1/run/artifacts/big.bin', upload_id: 'u' }), fails('NOT_IMPLEMENTED', MULTIPART_NOT_SUPPORTED));
  });

  it('closes the data plane when the application closes', async () => {
    const again = await NestFactory.createMicroservice(
      ArtifactServiceModule.register(
        { databaseUrl: database.url, poolSize: 1 },
        { destination: { kind: 'file', root }, dataPlaneHost: '127.0.0.1', dataPlanePort: 0 },
      ),
      { strategy: new InProcessServer(), logger: false },
    );
    await again.listen();
    const url = again.get(DataPlaneServer).url();
    assert.equal((await fetch(`${url}/objects/1/run/artifacts/notes.txt`)).status, 200);
    await again.close();
    await assert.rejects(fetch(`${url}/objects/1/run/artifacts/notes.txt`));
  });
});
