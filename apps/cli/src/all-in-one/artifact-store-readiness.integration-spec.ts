import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server, Socket } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { httpClient } from '@cairn/testing';
import type { TestServer } from './test-server';
import { startTestServer } from './test-server';

const PROXY = '/api/2.0/mlflow-artifacts/artifacts';
const s3At = (endpoint: string) =>
  ({
    kind: 's3',
    bucket: 'bucket',
    prefix: 'prefix',
    s3: { endpoint, region: 'us-east-1', accessKeyId: 'k', secretAccessKey: 'secret-key', forcePathStyle: true },
  }) as const;

async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return (server.address() as { port: number }).port;
}

/** Runs `work` and says how long it took: every answer here must come quickly, never hang. */
async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = Date.now();
  const result = await work();
  return [result, Date.now() - started];
}

async function createRun(api: ReturnType<typeof httpClient>): Promise<string> {
  const experimentId = (await api.post('/api/2.0/mlflow/experiments/create', { name: `readiness-${randomUUID()}` })).json.experiment_id;
  const runId = (await api.post('/api/2.0/mlflow/runs/create', { experiment_id: experimentId })).json.run.info.run_id;
  return runId;
}

// /ready and the artifact routes while the store behind artifact-svc cannot serve: not ready,
// 503 with a message naming the store (never a server path or a credential), then ready again.
describe('artifact store readiness (all-in-one)', () => {
  describe('disk store whose root is blocked, then freed', () => {
    let server: TestServer;
    let api: ReturnType<typeof httpClient>;
    let sandbox: string;
    let blocker: string;

    before(async () => {
      sandbox = await mkdtemp(path.join(tmpdir(), 'cairn-readiness-'));
      blocker = path.join(sandbox, 'volume');
      await writeFile(blocker, 'a file where the artifact volume should be');
      server = await startTestServer({ artifacts: { kind: 'file', root: path.join(blocker, 'artifacts') } });
      api = httpClient(server.url);
    });
    after(async () => {
      await server.stop();
      await rm(sandbox, { recursive: true, force: true });
    });

    it('is not ready, and artifact requests get 503 naming the store, until the root is usable again', async () => {
      const runId = await createRun(api);
      const down = await api.get('/ready');
      assert.equal(down.status, 503);
      assert.equal(down.json.ready, false);
      assert.match(down.json.services.artifacts, /^The artifact store \(local disk\) is not usable \((ENOTDIR|EEXIST)\); try again later\.$/);
      assert.equal(down.json.services.tracking, 'ok');
      assert.ok(!JSON.stringify(down.json).includes(sandbox), 'no server path in the report');

      const root = (await api.get(`/api/2.0/mlflow/runs/get?run_id=${runId}`)).json.run.info.artifact_uri.replace('mlflow-artifacts:/', '');
      for (const [method, target, body] of [
        ['PUT', `${PROXY}/${root}/a.txt`, 'x'],
        ['GET', `${PROXY}/${root}/a.txt`],
        ['GET', `${PROXY}?path=${root}`],
        ['GET', `/get-artifact?run_id=${runId}&path=a.txt`],
      ] as const) {
        const res = await fetch(`${server.url}${target}`, { method, ...(body !== undefined && { body }) });
        assert.equal(res.status, 503, `${method} ${target}`);
        const json = (await res.json()) as { error_code: string; message: string };
        assert.equal(json.error_code, 'TEMPORARILY_UNAVAILABLE');
        assert.match(json.message, /^The artifact store \(local disk\) is not usable/);
      }

      await rm(blocker);
      await mkdir(blocker);
      const up = await api.get('/ready');
      assert.equal(up.status, 200, up.text);
      assert.equal((await fetch(`${server.url}${PROXY}/${root}/a.txt`, { method: 'PUT', body: 'x' })).status, 200);
      assert.equal(await (await fetch(`${server.url}/get-artifact?run_id=${runId}&path=a.txt`)).text(), 'x');
    });
  });

  describe('S3 store that refuses connections, or accepts them and never answers', () => {
    let refusing: TestServer;
    let silent: TestServer;
    let silentStore: Server;
    const sockets: Socket[] = [];

    before(async () => {
      const probe = createServer();
      const closedPort = await listen(probe);
      await new Promise((resolve) => probe.close(resolve));
      silentStore = createServer((socket) => sockets.push(socket));
      const silentPort = await listen(silentStore);
      refusing = await startTestServer({ artifacts: s3At(`http://127.0.0.1:${closedPort}`) });
      silent = await startTestServer({ artifacts: s3At(`http://127.0.0.1:${silentPort}`), requestTimeoutMs: 3_000 });
    });
    after(async () => {
      await refusing.stop();
      await silent.stop();
      sockets.forEach((s) => s.destroy());
      await new Promise((resolve) => silentStore.close(resolve));
    });

    it('reports an unreachable S3 store on /ready within seconds', async () => {
      for (const server of [refusing, silent]) {
        const [ready, ms] = await timed(() => httpClient(server.url).get('/ready'));
        assert.equal(ready.status, 503);
        assert.match(ready.json.services.artifacts, /^The artifact store \(s3:\/\/bucket\/prefix\) is unreachable \(.+\); try again later\.$/);
        assert.ok(!ready.text.includes('secret-key'));
        assert.ok(ms < 3_000, `took ${ms} ms`);
      }
    });

    it('answers artifact requests with 503 TEMPORARILY_UNAVAILABLE, not a hang', async () => {
      for (const server of [refusing, silent]) {
        const api = httpClient(server.url);
        const runId = await createRun(api);
        const root = (await api.get(`/api/2.0/mlflow/runs/get?run_id=${runId}`)).json.run.info.artifact_uri.replace('mlflow-artifacts:/', '');
        for (const [method, target, body] of [
          ['PUT', `${PROXY}/${root}/a.txt`, 'x'],
          ['GET', `${PROXY}/${root}/a.txt`],
          ['GET', `/get-artifact?run_id=${runId}&path=a.txt`],
        ] as const) {
          const [res, ms] = await timed(() => fetch(`${server.url}${target}`, { method, ...(body !== undefined && { body }) }));
          assert.equal(res.status, 503, `${method} ${target}`);
          assert.equal(((await res.json()) as { error_code: string }).error_code, 'TEMPORARILY_UNAVAILABLE');
          assert.ok(ms < 8_000, `${method} ${target} took ${ms} ms`);
        }
      }
    });
  });
});
