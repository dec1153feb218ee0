import 'reflect-metadata';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Module } from '@nestjs/common';
import { lastValueFrom, toArray } from 'rxjs';
import type { INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { ClientProxy } from '@nestjs/microservices';
import { ClientProxyFactory, MessagePattern, Payload, Transport } from '@nestjs/microservices';
import { CairnError, invalidParameter } from '@cairn/contracts';
import { RpcController } from '../rpc/rpc-controller.decorator';
import { serviceTransport } from '../service/run-service';
import { InProcessClient, InProcessServer } from './in-process.transport';
import { ServiceClient } from './service-client';
import { natsOptions } from './transport.providers';

const natsScript = path.resolve(__dirname, '../../../../scripts/infra/nats.sh'); // from dist/libs/nest-common/transport
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** `n` rows of about 160 bytes of JSON each, with what JSON must escape and what UTF-8 widens. */
const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ i, text: `run ${i} "quoted" \\ 😀 é 日本 ${'x'.repeat(100)}` }));

const received: number[] = [];

@RpcController()
class RowsController {
  @MessagePattern('test.rows.v1')
  rows(@Payload() req: { n: number }) {
    return { rows: rows(req.n) };
  }

  @MessagePattern('test.count.v1')
  count(@Payload() req: { items: unknown[] }) {
    received.push(req.items.length);
    return { count: req.items.length };
  }

  // Nest's object pattern: routed the JSON.parse way, which plain subjects now skip (subject-route.ts).
  @MessagePattern({ cmd: 'echo', v: 1 })
  echo(@Payload() req: { said: string }) {
    return { heard: req.said };
  }

  @MessagePattern('test.refuse.v1')
  refuse(): never {
    throw invalidParameter('no rows for you');
  }
}

@Module({ controllers: [RowsController] })
class RowsModule {}

/** The same calls over both transports: what a search page of thousands of runs needs. */
function behavesLikeTheWire(call: () => ServiceClient, raw: () => ClientProxy) {
  it('routes a plain subject and an object pattern each to its handler', async () => {
    assert.deepEqual(await call().call('test.count.v1', { items: [1, 2] }), { count: 2 });
    assert.deepEqual(await lastValueFrom(raw().send({ v: 1, cmd: 'echo' }, { said: 'hi' })), { heard: 'hi' });
  });

  it('answers a small reply as it was', async () => {
    assert.deepEqual(await call().call('test.rows.v1', { n: 3 }), { rows: rows(3) });
  });

  it('answers a 5 MB reply, five times the largest message NATS takes by default, whole and in order', async () => {
    const reply = await call().call<{ rows: unknown[] }>('test.rows.v1', { n: 30_000 });
    assert.equal(reply.rows.length, 30_000);
    assert.deepEqual(reply, { rows: rows(30_000) });
  });

  it("still answers a service's refusal with its code", async () => {
    await assert.rejects(call().call('test.refuse.v1', {}), (err: unknown) => err instanceof CairnError && err.message === 'no rows for you');
  });
}

describe('replies of any size over real NATS at its default max_payload (1 MB)', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let app: INestMicroservice;
  let proxy: ClientProxy;
  let client: ServiceClient;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cairn-nats-'));
    env = { ...process.env, CAIRN_NATS_PORT: String(await freePort()), CAIRN_NATS_MONITOR_PORT: '0', CAIRN_NATS_DIR: dir, CAIRN_NATS_MAX_PAYLOAD: '1MB' };
    execFileSync('bash', [natsScript, 'start'], { env, stdio: 'ignore' });
    const url = execFileSync('bash', [natsScript, 'url'], { env, encoding: 'utf8' }).trim();
    app = await NestFactory.createMicroservice(RowsModule, { ...serviceTransport(url, 'test-svc'), logger: false });
    await app.listen();
    proxy = ClientProxyFactory.create({ transport: Transport.NATS, options: natsOptions(url, 'test-gateway') });
    await proxy.connect();
    client = new ServiceClient(proxy, 10_000);
  });
  after(async () => {
    await proxy?.close();
    await app?.close();
    if (env) execFileSync('bash', [natsScript, 'stop'], { env, stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  });

  behavesLikeTheWire(() => client, () => proxy);

  it('refuses a request larger than max_payload as a client error, and the service never sees it', async () => {
    received.length = 0;
    await assert.rejects(
      client.call('test.count.v1', { items: rows(8_000) }),
      (err: unknown) => err instanceof CairnError && err.code === 'INVALID_PARAMETER_VALUE' && /max_payload.*nothing was written/.test(err.message),
    );
    assert.deepEqual(await client.call('test.count.v1', { items: rows(10) }), { count: 10 });
    assert.deepEqual(received, [10]);
  });
});

describe('replies of any size in one process (all-in-one)', () => {
  let app: INestMicroservice;
  let client: ServiceClient;
  let proxy: InProcessClient;

  before(async () => {
    const server = new InProcessServer();
    app = await NestFactory.createMicroservice(RowsModule, { strategy: server, logger: false });
    await app.listen();
    client = new ServiceClient(new InProcessClient(server), 10_000);
    proxy = new InProcessClient(server);
  });
  after(() => app?.close());

  behavesLikeTheWire(() => client, () => proxy);

  it('sends a long reply as one message: nothing to stay under in one process', async () => {
    const messages = await lastValueFrom(proxy.send('test.rows.v1', { n: 30_000 }).pipe(toArray()));
    assert.equal(messages.length, 1);
    assert.deepEqual(messages[0], { rows: rows(30_000) });
  });
});
