// Helpers for the *.k8s-spec.ts tests, which run against a real API server (scripts/test-k8s.sh).
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { KubernetesBackendConfig } from '@cairn/contracts';
import type { LaunchSpec } from '../backend';

export function kubeconfigPath(): string {
  const file = process.env.KUBECONFIG;
  if (!file) throw new Error('KUBECONFIG is not set: run these tests with scripts/test-k8s.sh');
  return file;
}

export const newRunId = (): string => randomBytes(16).toString('hex');

export function launchSpec(kubernetes: KubernetesBackendConfig, extra: Partial<LaunchSpec> = {}): LaunchSpec {
  const runId = newRunId();
  return {
    runId,
    experimentId: '1',
    projectName: 'k8s_test',
    command: 'python train.py --alpha 0.5',
    env: { MLFLOW_RUN_ID: runId, MLFLOW_TRACKING_URI: 'http://cairn.cairn.svc:5000', MLFLOW_EXPERIMENT_ID: '1' },
    projectDir: '/nonexistent',
    logPath: '/nonexistent/log',
    dockerImage: 'python:3.12-slim',
    kubernetes,
    ...extra,
  };
}

export async function until<T>(probe: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * A TCP relay in front of the API server: the tests cut every connection through it and refuse
 * new ones for a while, which is what a client sees when the API server goes away and comes back.
 */
export class ApiServerRelay {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private frozen = false;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  static forKubeconfig(file: string): ApiServerRelay {
    const kc = new KubeConfig();
    kc.loadFromFile(file);
    const server = kc.getCurrentCluster()?.server;
    if (!server) throw new Error(`${file} has no current cluster`);
    const url = new URL(server);
    return new ApiServerRelay({ host: url.hostname, port: Number(url.port || 443) });
  }

  async start(port = this.port): Promise<void> {
    const server = createServer((client) => {
      this.track(client);
      if (this.frozen) return void client.pause();
      const upstream = createConnection(this.target);
      this.track(upstream);
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.target.host, () => resolve());
    });
    this.server = server;
    this.port = (server.address() as { port: number }).port;
  }

  private track(s: Socket) {
    this.sockets.add(s);
    s.on('close', () => this.sockets.delete(s));
    s.on('error', () => s.destroy());
  }

  /**
   * Every connection, open or new, stops carrying bytes but stays open: an API server that hangs,
   * or a network partition. `thaw` ends it by resetting those connections.
   */
  freeze(): void {
    this.frozen = true;
    for (const s of this.sockets) {
      s.unpipe();
      s.pause();
    }
  }

  thaw(): void {
    this.frozen = false;
    for (const s of this.sockets) s.destroy();
  }

  /** Cuts every open connection and stops accepting new ones. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    const closed = server ? new Promise<void>((r) => server.close(() => r())) : Promise.resolve();
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  get openConnections(): number {
    return this.sockets.size / 2;
  }

  /** A copy of the kubeconfig whose clusters point at this relay. */
  kubeconfigThrough(file: string): string {
    return kubeconfigWithPort(file, this.port);
  }
}

/** A copy of a kubeconfig with every cluster's server on `port` (file paths made absolute). */
export function kubeconfigWithPort(file: string, port: number): string {
  const raw = parseYaml(readFileSync(file, 'utf8')) as {
    clusters: { cluster: Record<string, string> }[];
    users?: { user: Record<string, unknown> }[];
  };
  const base = path.dirname(path.resolve(file));
  const absolute = (o: Record<string, unknown>, key: string) => {
    if (typeof o[key] === 'string' && !path.isAbsolute(o[key] as string)) o[key] = path.resolve(base, o[key] as string);
  };
  for (const { cluster } of raw.clusters) {
    const url = new URL(cluster.server);
    url.port = String(port);
    cluster.server = url.toString().replace(/\/$/, '');
    absolute(cluster, 'certificate-authority');
  }
  for (const { user } of raw.users ?? []) for (const key of ['client-certificate', 'client-key', 'tokenFile']) absolute(user, key);
  const out = path.join(tmpdir(), `cairn-k8s-${process.pid}-port-${port}.kubeconfig`);
  writeFileSync(out, stringifyYaml(raw), { mode: 0o600 });
  return out;
}
