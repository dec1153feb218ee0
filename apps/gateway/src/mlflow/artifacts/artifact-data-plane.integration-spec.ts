import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough, Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { CairnError } from '@cairn/contracts';
import { ArtifactDataPlane } from './artifact-data-plane';

// The gateway's data-plane client against small real HTTP servers standing in for artifact-svc's
// data plane: the contract under test is the HTTP exchange, not the store behind it.
describe('ArtifactDataPlane (HTTP client of the artifact data plane)', () => {
  let server: http.Server;
  let base: string;
  const stored = new Map<string, Buffer>();
  const events: string[] = [];

  before(async () => {
    server = http.createServer(async (req, res) => {
      const key = decodeURIComponent((req.url ?? '').slice('/objects/'.length));
      if (req.method === 'PUT') {
        const chunks: Buffer[] = [];
        req.on('aborted', () => events.push(`aborted ${key}`));
        try {
          for await (const chunk of req) chunks.push(chunk as Buffer);
        } catch {
          return;
        }
        if (key.startsWith('refuse/')) {
          res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'INVALID_PARAMETER_VALUE', message: 'Invalid path' }));
          return;
        }
        stored.set(key, Buffer.concat(chunks));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } else if (key === 'endless') {
        res.writeHead(200, { 'content-length': String(1 << 30) });
        const timer = setInterval(() => res.write(Buffer.alloc(64 * 1024)), 1);
        res.on('close', () => {
          clearInterval(timer);
          events.push('endless closed');
        });
      } else if (stored.has(key)) {
        const body = stored.get(key) ?? Buffer.alloc(0);
        res.writeHead(200, { 'content-length': String(body.length) }).end(body);
      } else {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'RESOURCE_DOES_NOT_EXIST', message: `No artifact at '${key}'` }));
      }
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  const text = async (body: Readable) => {
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString();
  };

  it('streams an upload (known length or chunked) and reads it back; segment-encodes unicode keys', async () => {
    const plane = new ArtifactDataPlane(base, 5_000);
    await plane.upload('1/r/artifacts/文 件.txt', Readable.from([Buffer.from('hello '), Buffer.from('world')]), 11, new AbortController().signal);
    await plane.upload('1/r/artifacts/chunked', Readable.from([Buffer.from('abc')]), undefined, new AbortController().signal);
    const download = await plane.download('1/r/artifacts/文 件.txt', {}, new AbortController().signal);
    assert.equal(download.status, 200);
    assert.equal(await text(download.body), 'hello world');
    assert.equal(stored.get('1/r/artifacts/chunked')?.toString(), 'abc');
    plane.onModuleDestroy();
  });

  it("turns the data plane's WireError answers into CairnErrors", async () => {
    const plane = new ArtifactDataPlane(base, 5_000);
    await assert.rejects(plane.download('missing', {}, new AbortController().signal), (err: unknown) => {
      assert.ok(err instanceof CairnError);
      assert.equal(err.code, 'RESOURCE_DOES_NOT_EXIST');
      return true;
    });
    await assert.rejects(plane.upload('refuse/x', Readable.from([Buffer.from('x')]), 1, new AbortController().signal), /Invalid path/);
    plane.onModuleDestroy();
  });

  it('answers 503 TEMPORARILY_UNAVAILABLE at once when artifact-svc is not listening', async () => {
    const closed = http.createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    const plane = new ArtifactDataPlane(`http://127.0.0.1:${port}`, 5_000);
    const started = Date.now();
    await assert.rejects(plane.download('x', {}, new AbortController().signal), (err: unknown) => {
      assert.ok(err instanceof CairnError);
      assert.equal(err.code, 'TEMPORARILY_UNAVAILABLE');
      assert.match(err.message, /artifact service is not available/);
      return true;
    });
    await assert.rejects(plane.upload('x', Readable.from([Buffer.from('x')]), 1, new AbortController().signal), /not available/);
    assert.ok(Date.now() - started < 1_000, 'fails fast');
    plane.onModuleDestroy();
  });

  it('probes readiness: not ready, quickly and saying why, when the data plane is down or silent', async () => {
    const closed = http.createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const closedPort = (closed.address() as AddressInfo).port;
    closed.close();
    const silent = http.createServer(() => undefined); // takes the request, never answers
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const silentPort = (silent.address() as AddressInfo).port;
    const unavailable = (pattern: RegExp) => (err: unknown) => {
      assert.ok(err instanceof CairnError);
      assert.equal(err.code, 'TEMPORARILY_UNAVAILABLE');
      assert.match(err.message, pattern);
      return true;
    };
    const down = new ArtifactDataPlane(`http://127.0.0.1:${closedPort}`, 5_000);
    const hung = new ArtifactDataPlane(`http://127.0.0.1:${silentPort}`, 5_000);
    const started = Date.now();
    await assert.rejects(down.probe(500), unavailable(/data plane is unreachable: ECONNREFUSED/));
    await assert.rejects(hung.probe(500), unavailable(/data plane did not answer within 500 ms/));
    assert.ok(Date.now() - started < 1_500, 'fails within its timeout');
    down.onModuleDestroy();
    hung.onModuleDestroy();
    silent.closeAllConnections();
    silent.close();
  });

  it('aborts the upstream exchange when the client goes away, mid-upload and mid-download', async () => {
    const plane = new ArtifactDataPlane(base, 5_000);
    const body = new PassThrough();
    const client = new AbortController();
    const upload = plane.upload('partial', body, 1_000_000, client.signal);
    body.write(Buffer.alloc(1000));
    await new Promise((r) => setTimeout(r, 50));
    client.abort();
    await assert.rejects(upload);
    const reader = new AbortController();
    const download = await plane.download('endless', {}, reader.signal);
    download.body.once('data', () => reader.abort());
    await assert.rejects(text(download.body));
    for (let i = 0; i < 50 && events.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(events.sort(), ['aborted partial', 'endless closed']);
    assert.equal(stored.has('partial'), false);
    plane.onModuleDestroy();
  });
});
