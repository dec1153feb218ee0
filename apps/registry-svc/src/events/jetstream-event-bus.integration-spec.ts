import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RegistryEvent } from '@cairn/contracts';
import { JetStreamEventBus } from './jetstream-event-bus';

const natsScript = path.resolve(__dirname, '../../../../scripts/infra/nats.sh') // from dist/apps/registry-svc/events;
const hasNats = (() => {
  try {
    execFileSync('sh', ['-c', 'command -v nats-server'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

const event = (id: string, name: string): RegistryEvent => ({
  id,
  type: 'registered-model.created',
  is_prompt: false,
  actor: 'test',
  timestamp: 1,
  payload: { name, tags: {} },
});

async function until<T>(what: string, check: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// The registry's events on a real nats-server with JetStream (scripts/infra/nats.sh).
describe('JetStreamEventBus (real NATS JetStream)', { skip: hasNats ? false : 'nats-server is not installed (scripts/install-deps.sh)' }, () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let url: string;
  const buses: JetStreamEventBus[] = [];
  const bus = async () => {
    const b = await JetStreamEventBus.connect(url);
    buses.push(b);
    return b;
  };

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cairn-nats-'));
    env = { ...process.env, CAIRN_NATS_PORT: String(await freePort()), CAIRN_NATS_MONITOR_PORT: '0', CAIRN_NATS_DIR: dir };
    execFileSync('bash', [natsScript, 'start'], { env, stdio: 'ignore' });
    url = execFileSync('bash', [natsScript, 'url'], { env, encoding: 'utf8' }).trim();
  });
  after(async () => {
    for (const b of buses) await b.close();
    if (env) execFileSync('bash', [natsScript, 'stop'], { env, stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps what was published while no subscriber ran, for a durable subscriber, once per event id', async () => {
    const publisher = await bus();
    await publisher.publish(event('1', 'a'));
    await publisher.publish(event('2', 'b'));
    await publisher.publish(event('2', 'b')); // a relay that crashed before stamping re-publishes
    const got: string[] = [];
    await (await bus()).subscribe('late', async (e) => void got.push(e.id));
    await until('two events', () => (got.length >= 2 ? got : undefined), 10_000);
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(got, ['1', '2']);
  });

  it('gives the events a subscriber took but never acknowledged to the next one, within seconds', async () => {
    const publisher = await bus();
    const dying = await bus();
    const taken: string[] = [];
    await dying.subscribe('handover', (e) => {
      taken.push(e.id);
      return new Promise<void>(() => undefined); // never acknowledged: the replica died mid-event
    });
    await publisher.publish(event('10', 'c'));
    await until('the first subscriber to take it', () => (taken.length ? taken : undefined), 10_000);
    // dies: its connection drops with the event unacknowledged (close() would wait for the handler)
    const corpse = dying as unknown as { nc: { close(): Promise<void> }; consumers: { stop(): void }[] };
    await corpse.nc.close();
    // Its pull loop's timers would keep this test process alive after the suite ends.
    for (const c of corpse.consumers) c.stop();
    buses.splice(buses.indexOf(dying), 1);

    const got: string[] = [];
    const started = Date.now();
    await (await bus()).subscribe('handover', async (e) => void got.push(e.id));
    await until('the redelivery', () => (got.length ? got : undefined), 20_000);
    assert.ok(got.includes('10'));
    assert.ok(Date.now() - started < 15_000, `redelivered after ${Date.now() - started} ms (ack_wait)`);
  });
});
