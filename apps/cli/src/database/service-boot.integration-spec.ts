import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createTestDatabase } from '@cairn/testing';

// A service process started against a database that `cairn db upgrade` has not reached must
// stop at once with a message that says what to do (it checks before it connects to NATS).
const DIST = path.join(__dirname, '..', '..');

function run(script: string, args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, [path.join(DIST, script), ...args], { env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('service boot against the database schema', () => {
  it('tracking-svc exits 1 naming `cairn db upgrade` when the schema is behind; runs after the upgrade', async () => {
    const db = await createTestDatabase();
    try {
      const env = { CAIRN_DATABASE_URL: db.url, CAIRN_NATS_URL: 'nats://127.0.0.1:1', CAIRN_LOG_LEVEL: 'info' };
      const stale = await run('tracking-svc/main.js', [], env);
      assert.equal(stale.code, 1);
      assert.match(stale.output, /schema \\"tracking\\" is at version 0, but this build needs version \d+\. Run `cairn db upgrade`/);

      const upgrade = await run('cli/main.js', ['db', 'upgrade'], env);
      assert.equal(upgrade.code, 0, upgrade.output);
      assert.match(upgrade.output, /tracking: 1 experiments/);
      assert.doesNotMatch(upgrade.output, /cairn-test@/, 'the database password is masked');
      const again = await run('cli/main.js', ['db', 'upgrade'], env);
      assert.match(again.output, /tracking: already current/);
    } finally {
      await db.drop();
    }
  });

  it('a service with a bad variable stops with a message naming it', async () => {
    const bad = await run('registry-svc/main.js', [], { CAIRN_DATABASE_URL: 'not-a-url', CAIRN_NATS_URL: 'nats://127.0.0.1:1' });
    assert.equal(bad.code, 2);
    assert.match(bad.output, /CAIRN_DATABASE_URL=not-a-url is invalid/);
  });
});
