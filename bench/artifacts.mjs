#!/usr/bin/env node
// Artifact transfer benchmark: one large file up and down through a Cairn gateway's artifact
// proxy (PUT/GET /api/2.0/mlflow-artifacts/artifacts/…), and optionally the same transfer
// straight to MinIO/S3 as the baseline. The bytes are a deterministic stream made while sending
// (no temp file) and hashed with SHA-256 on the way up and on the way down; a mismatch fails
// the run. The peak RSS of the server processes named with --pid is sampled from /proc.
// Plain ESM JavaScript with JSDoc types, like bench/run.mjs. See bench/README.md ("Artifacts").
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';

const MiB = 1024 * 1024;
const CHUNK = 4 * MiB;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

const USAGE = `usage: npm run bench:artifacts -- --url http://127.0.0.1:PORT [options]

  --url URL              Cairn gateway (127.0.0.1 / localhost only)
  --size SIZE            bytes per transfer: 1GiB (default), 512MiB, 5GiB, or a number
  --label NAME           name of this setup in the output (default: the URL)
  --pid NAME=PID         a server process whose RSS to sample (repeatable): gateway=123
  --s3-endpoint URL      also transfer straight to this S3 endpoint (the baseline)
  --s3-bucket NAME       bucket for the baseline (default cairn-test)
  --s3-access-key KEY    credentials for the baseline (default: MinIO test user of scripts/infra/minio.sh)
  --s3-secret-key KEY
  --repeat N             transfers per direction; the best is reported (default 1)
  --json FILE            also write the figures as JSON
`;

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    size: { type: 'string', default: '1GiB' },
    label: { type: 'string' },
    pid: { type: 'string', multiple: true, default: [] },
    's3-endpoint': { type: 'string' },
    's3-bucket': { type: 'string', default: 'cairn-test' },
    's3-access-key': { type: 'string', default: 'cairn-minio-test' },
    's3-secret-key': { type: 'string', default: 'cairn-minio-test-secret' },
    repeat: { type: 'string', default: '1' },
    json: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});
if (args.help || !args.url) {
  process.stderr.write(USAGE);
  process.exit(args.help ? 0 : 2);
}

/** @param {string} text */
function parseSize(text) {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KiB|MiB|GiB)?$/i.exec(text.trim());
  if (!m) throw new Error(`bad --size ${text}`);
  const unit = { b: 1, kib: 1024, mib: MiB, gib: 1024 * MiB }[(m[2] ?? 'B').toLowerCase()] ?? 1;
  return Math.round(Number(m[1]) * unit);
}

const log = (/** @type {string} */ msg) => process.stderr.write(`[artifacts] ${msg}\n`);
const mibps = (/** @type {number} */ bytes, /** @type {number} */ ms) => bytes / MiB / (ms / 1000);

// ---- the bytes: deterministic, position-dependent, made on the fly -------------------------

const BASE = Buffer.alloc(CHUNK);
for (let i = 0; i < CHUNK; i += 4) BASE.writeUInt32LE((Math.imul(i, 2654435761) ^ 0x9e3779b9) >>> 0, i);

/**
 * `size` bytes in CHUNK pieces: a fixed pseudo-random block whose every 64 KiB starts with its
 * absolute offset, so a reordered, repeated or dropped piece changes the hash.
 * @param {number} size
 * @param {(chunk: Buffer) => void} [onChunk]
 */
function* patternChunks(size, onChunk) {
  for (let offset = 0; offset < size; offset += CHUNK) {
    const length = Math.min(CHUNK, size - offset);
    const chunk = Buffer.allocUnsafe(length);
    BASE.copy(chunk, 0, 0, length);
    for (let at = 0; at + 8 <= length; at += 64 * 1024) chunk.writeBigUInt64LE(BigInt(offset + at), at);
    onChunk?.(chunk);
    yield chunk;
  }
}

// ---- process memory ---------------------------------------------------------------------------

/** @param {number} pid @param {string} field */
function statusKiB(pid, field) {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

/** CPU seconds (user + system) a process has used so far: what a transfer costs, whatever the machine's load. */
function cpuSeconds(/** @type {number} */ pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in USER_HZ (100 on Linux)
}

/** CPU seconds of each named process (and of this client) spent in `work`. */
async function cpuOf(/** @type {{ name: string, pid: number }[]} */ procs, /** @type {() => Promise<any>} */ work) {
  const before = procs.map((p) => cpuSeconds(p.pid));
  const client = process.cpuUsage();
  const result = await work();
  const used = process.cpuUsage(client);
  const cpu = Object.fromEntries(procs.map((p, i) => [p.name, cpuSeconds(p.pid) - (before[i] ?? 0)]));
  return { result, cpu: { ...cpu, client: (used.user + used.system) / 1e6 } };
}

/** Samples VmRSS of the named processes every 100 ms until stopped; growth = peak − start. */
class RssSampler {
  /** @param {{ name: string, pid: number }[]} procs */
  constructor(procs) {
    this.procs = procs.map((p) => ({ ...p, start: statusKiB(p.pid, 'VmRSS'), peak: 0 }));
    for (const p of this.procs) p.peak = p.start;
    this.timer = setInterval(() => this.sample(), 100);
  }
  sample() {
    for (const p of this.procs) {
      const rss = statusKiB(p.pid, 'VmRSS');
      if (rss > p.peak) p.peak = rss;
    }
  }
  stop() {
    clearInterval(this.timer);
    this.sample();
    return Object.fromEntries(
      this.procs.map((p) => [p.name, { startMB: p.start / 1024, peakMB: p.peak / 1024, growthMB: (p.peak - p.start) / 1024, hwmMB: statusKiB(p.pid, 'VmHWM') / 1024 }]),
    );
  }
}

// ---- through the gateway -----------------------------------------------------------------------

const agent = new http.Agent({ keepAlive: true });

/**
 * @param {URL} base @param {string} method @param {string} path
 * @param {{ headers?: http.OutgoingHttpHeaders, body?: Iterable<Buffer> }} [opts]
 * @returns {Promise<{ status: number, bytes: number, sha256: string, text: string }>}
 */
function exchange(base, method, path, opts = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: base.hostname, port: base.port, method, path, headers: opts.headers, agent }, (res) => {
      const hash = createHash('sha256');
      let bytes = 0;
      /** @type {Buffer[]} */
      const head = [];
      res.on('data', (/** @type {Buffer} */ c) => {
        bytes += c.length;
        hash.update(c);
        if (bytes <= 4096) head.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, sha256: hash.digest('hex'), text: Buffer.concat(head).toString('utf8', 0, 300) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (!opts.body) return req.end();
    Readable.from(opts.body).pipe(req);
  });
}

/** @param {URL} base @param {string} key @param {number} size */
async function gatewayUpload(base, key, size) {
  const hash = createHash('sha256');
  const started = performance.now();
  const res = await exchange(base, 'PUT', `/api/2.0/mlflow-artifacts/artifacts/${key}`, {
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
    body: patternChunks(size, (c) => hash.update(c)),
  });
  const ms = performance.now() - started;
  if (res.status !== 200) throw new Error(`upload: HTTP ${res.status} ${res.text}`);
  return { ms, sha256: hash.digest('hex') };
}

/** @param {URL} base @param {string} key */
async function gatewayDownload(base, key) {
  const started = performance.now();
  const res = await exchange(base, 'GET', `/api/2.0/mlflow-artifacts/artifacts/${key}`);
  const ms = performance.now() - started;
  if (res.status !== 200) throw new Error(`download: HTTP ${res.status} ${res.text}`);
  return { ms, sha256: res.sha256, bytes: res.bytes };
}

// ---- straight to S3 (the baseline), with the SDK artifact-svc uses -------------------------

/** @param {number} size */
async function s3Baseline(size) {
  const { S3Client, GetObjectCommand, DeleteObjectCommand } = await import('@aws-sdk/client-s3');
  const { Upload } = await import('@aws-sdk/lib-storage');
  const client = new S3Client({
    endpoint: args['s3-endpoint'],
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: args['s3-access-key'] ?? '', secretAccessKey: args['s3-secret-key'] ?? '' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = args['s3-bucket'];
  const Key = `bench-artifacts/${randomUUID()}/direct.bin`;
  const upHash = createHash('sha256');
  let started = performance.now();
  // the part size and concurrency artifact-svc's S3 store uses, so the comparison isolates the proxy
  await new Upload({ client, params: { Bucket, Key, Body: Readable.from(patternChunks(size, (c) => upHash.update(c))) }, partSize: Math.max(8 * MiB, Math.ceil(size / 10000)), queueSize: 4 }).done();
  const upMs = performance.now() - started;
  started = performance.now();
  const out = await client.send(new GetObjectCommand({ Bucket, Key }));
  const downHash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of /** @type {AsyncIterable<Buffer>} */ (out.Body)) {
    bytes += chunk.length;
    downHash.update(chunk);
  }
  const downMs = performance.now() - started;
  await client.send(new DeleteObjectCommand({ Bucket, Key }));
  client.destroy();
  const up = upHash.digest('hex');
  const down = downHash.digest('hex');
  if (up !== down || bytes !== size) throw new Error(`direct S3: sha256 ${up} up, ${down} down (${bytes} bytes)`);
  return { upload: { ms: upMs, mibps: mibps(size, upMs) }, download: { ms: downMs, mibps: mibps(size, downMs) }, sha256: up };
}

/** @param {Record<string, number> | undefined} cpu @param {number} size */
function perGiB(cpu, size) {
  return Object.fromEntries(Object.entries(cpu ?? {}).map(([name, s]) => [name, Number(((s * 1024 * MiB) / size).toFixed(2))]));
}
/** @param {Record<string, number> | undefined} cpu @param {number} size */
const cpuText = (cpu, size) =>
  Object.entries(perGiB(cpu, size))
    .map(([name, s]) => `${name} ${s.toFixed(2)} s/GiB`)
    .join(', ');

// ---- main -------------------------------------------------------------------------------------

async function main() {
  const base = new URL(/** @type {string} */ (args.url));
  if (!LOOPBACK.has(base.hostname)) throw new Error(`refusing ${base.hostname}: the harness only targets this machine`);
  const size = parseSize(args.size ?? '1GiB');
  const repeat = Math.max(1, Number(args.repeat));
  const procs = (args.pid ?? []).map((spec) => {
    const [name, pid] = spec.split('=');
    if (!name || !pid || !/^\d+$/.test(pid)) throw new Error(`bad --pid ${spec} (want NAME=PID)`);
    return { name, pid: Number(pid) };
  });
  const label = args.label ?? base.origin;

  const ready = await fetch(new URL('/ready', base)).catch(() => undefined);
  if (!ready?.ok) throw new Error(`${base.origin}/ready does not answer 200`);
  // a run of its own, so the bytes land where MLflow clients would put them
  const post = (/** @type {string} */ path, /** @type {unknown} */ body) =>
    fetch(new URL(path, base), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json());
  const experimentId = (await post('/api/2.0/mlflow/experiments/create', { name: `bench-artifacts-${randomUUID()}` })).experiment_id;
  const runId = (await post('/api/2.0/mlflow/runs/create', { experiment_id: experimentId })).run.info.run_id;

  /** @type {{ before: number[], after: number[] }} */
  const load = { before: os.loadavg(), after: [] };
  log(`${label}: ${size / MiB} MiB up and down through ${base.origin}, ${repeat}×; load average ${load.before.map((l) => l.toFixed(2)).join(' ')}`);
  const sampler = procs.length ? new RssSampler(procs) : undefined;
  /** @type {{ upload: { ms: number, cpu?: Record<string, number> }, download: { ms: number, cpu?: Record<string, number> } }} */
  let best = { upload: { ms: Infinity }, download: { ms: Infinity } };
  let sha256 = '';
  for (let i = 0; i < repeat; i++) {
    const key = `${experimentId}/${runId}/artifacts/bench-${i}.bin`;
    const { result: up, cpu: upCpu } = await cpuOf(procs, () => gatewayUpload(base, key, size));
    log(`  upload   ${(up.ms / 1000).toFixed(1)} s  ${mibps(size, up.ms).toFixed(0)} MiB/s  sha256 ${up.sha256.slice(0, 16)}…  cpu ${cpuText(upCpu, size)}`);
    const { result: down, cpu: downCpu } = await cpuOf(procs, () => gatewayDownload(base, key));
    log(`  download ${(down.ms / 1000).toFixed(1)} s  ${mibps(size, down.ms).toFixed(0)} MiB/s  sha256 ${down.sha256.slice(0, 16)}…  cpu ${cpuText(downCpu, size)}`);
    up.cpu = upCpu;
    down.cpu = downCpu;
    if (down.sha256 !== up.sha256 || down.bytes !== size) {
      throw new Error(`INTEGRITY: uploaded sha256 ${up.sha256}, downloaded ${down.sha256} (${down.bytes} of ${size} bytes)`);
    }
    sha256 = up.sha256;
    if (up.ms < best.upload.ms) best.upload = up;
    if (down.ms < best.download.ms) best.download = down;
    await fetch(new URL(`/api/2.0/mlflow-artifacts/artifacts/${key}`, base), { method: 'DELETE' });
  }
  const memory = sampler?.stop();
  load.after = os.loadavg();
  const direct = args['s3-endpoint'] ? await s3Baseline(size) : undefined;
  const result = {
    label,
    url: base.origin,
    bytes: size,
    sha256,
    upload: { seconds: best.upload.ms / 1000, mibps: mibps(size, best.upload.ms), cpuSecondsPerGiB: perGiB(best.upload.cpu, size) },
    download: { seconds: best.download.ms / 1000, mibps: mibps(size, best.download.ms), cpuSecondsPerGiB: perGiB(best.download.cpu, size) },
    ...(direct && {
      direct: { upload: direct.upload.mibps, download: direct.download.mibps },
      ofDirect: { upload: mibps(size, best.upload.ms) / direct.upload.mibps, download: mibps(size, best.download.ms) / direct.download.mibps },
    }),
    memory,
    loadavg: load,
    cpus: os.cpus().length,
  };
  const f = (/** @type {number} */ n) => n.toFixed(0).padStart(5);
  process.stdout.write(`\n${label} — ${size / MiB} MiB, sha256 ${sha256} (identical both ways)\n`);
  process.stdout.write(`  through the gateway: upload ${f(result.upload.mibps)} MiB/s, download ${f(result.download.mibps)} MiB/s\n`);
  if (direct && result.ofDirect) {
    process.stdout.write(`  straight to S3:      upload ${f(direct.upload.mibps)} MiB/s, download ${f(direct.download.mibps)} MiB/s`);
    process.stdout.write(`  (gateway = ${(result.ofDirect.upload * 100).toFixed(0)} % / ${(result.ofDirect.download * 100).toFixed(0)} %)\n`);
  }
  process.stdout.write(`  CPU seconds per GiB: upload ${cpuText(best.upload.cpu, size)}; download ${cpuText(best.download.cpu, size)}\n`);
  for (const [name, m] of Object.entries(memory ?? {})) {
    process.stdout.write(`  ${name.padEnd(20)} RSS ${m.startMB.toFixed(0)} → peak ${m.peakMB.toFixed(0)} MB (growth ${m.growthMB.toFixed(0)} MB; VmHWM ${m.hwmMB.toFixed(0)} MB)\n`);
  }
  process.stdout.write(`  load average before ${load.before.map((l) => l.toFixed(2)).join(' ')}, after ${load.after.map((l) => l.toFixed(2)).join(' ')} (${os.cpus().length} CPUs)\n`);
  if (args.json) writeFileSync(args.json, JSON.stringify(result, null, 2));
  agent.destroy();
}

main().catch((err) => {
  process.stderr.write(`[artifacts] ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
