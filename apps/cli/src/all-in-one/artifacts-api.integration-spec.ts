import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { httpClient } from '@cairn/testing';
import type { TestServer } from './test-server';
import { startTestServer } from './test-server';

const PROXY = '/api/2.0/mlflow-artifacts/artifacts';
const SENTINEL = 'SENTINEL: outside the artifact destination';

/** One HTTP exchange with the request target sent byte for byte (fetch would normalize it). */
function rawRequest(base: string, method: string, target: string, options: { body?: Buffer; headers?: Record<string, string> } = {}) {
  const { hostname, port } = new URL(base);
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const headers = { ...(options.body && { 'content-length': String(options.body.length) }), ...options.headers };
    const req = http.request({ hostname, port, method, path: target, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A request with no body at all: neither Content-Length nor Transfer-Encoding (http.request would send chunks). */
function bodylessPut(base: string, target: string): Promise<string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(`PUT ${target} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`));
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

// The artifact routes through the whole all-in-one stack: gateway → artifact-svc (in-process
// control plane, loopback HTTP data plane) → disk store, tracking-svc on real PostgreSQL.
describe('artifacts API (all-in-one, disk store, real PostgreSQL)', () => {
  let server: TestServer;
  let api: ReturnType<typeof httpClient>;
  let sandbox: string;
  let destination: string;
  let runId: string;
  let root: string;
  let modelName: string;
  const put = (key: string, body: string | Buffer, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${PROXY}/${key}`, { method: 'PUT', body, headers });
  const url = (key: string) => `${server.url}${PROXY}/${key.split('/').map(encodeURIComponent).join('/')}`;

  before(async () => {
    // the destination sits next to a sentinel file that no request may ever reach
    sandbox = await mkdtemp(path.join(tmpdir(), 'cairn-artifacts-'));
    destination = path.join(sandbox, 'destination');
    await mkdir(destination);
    await writeFile(path.join(sandbox, 'secret.txt'), SENTINEL);
    server = await startTestServer({ artifacts: { kind: 'file', root: destination } });
    api = httpClient(server.url);
    const experimentId = (await api.post('/api/2.0/mlflow/experiments/create', { name: `artifacts-${randomUUID()}` })).json.experiment_id;
    runId = (await api.post('/api/2.0/mlflow/runs/create', { experiment_id: experimentId })).json.run.info.run_id;
    root = `${experimentId}/${runId}/artifacts`;
    modelName = `artifacts-${randomUUID()}`;
    await api.post('/api/2.0/mlflow/registered-models/create', { name: modelName });
    await api.post('/api/2.0/mlflow/model-versions/create', { name: modelName, source: `mlflow-artifacts:/${root}/model`, run_id: runId });
  });
  after(async () => {
    await server.stop();
    await rm(sandbox, { recursive: true, force: true });
  });

  it('uploads, downloads (with MLflow headers), lists and deletes a file', async () => {
    const uploaded = await put(`${root}/hello.txt`, 'hello world', { 'content-type': 'application/json' });
    assert.equal(uploaded.status, 200);
    assert.deepEqual(await uploaded.json(), {});
    const got = await fetch(url(`${root}/hello.txt`));
    assert.equal(got.status, 200);
    assert.equal(await got.text(), 'hello world');
    assert.equal(got.headers.get('content-disposition'), 'attachment; filename=hello.txt');
    assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(got.headers.get('content-type'), 'text/plain');
    assert.equal(got.headers.get('content-length'), '11');
    assert.equal(await readFile(path.join(destination, root, 'hello.txt'), 'utf8'), 'hello world');
    const head = await fetch(url(`${root}/hello.txt`), { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), '11');

    assert.equal((await fetch(url(`${root}/hello.txt`), { method: 'DELETE' })).status, 200);
    assert.equal((await fetch(url(`${root}/hello.txt`))).status, 404);
  });

  it('lists a nested tree: basenames on the proxy, run-relative paths on the tracking API, {} when empty', async () => {
    for (const [key, body] of [['tree/a.txt', 'a'], ['tree/sub/b.csv', 'bb'], ['tree/sub/deeper/c.json', '{}']] as const) {
      assert.equal((await put(`${root}/${key}`, body)).status, 200);
    }
    const proxy = await api.get(`${PROXY}?path=${encodeURIComponent(`${root}/tree`)}`);
    assert.deepEqual(proxy.json, { files: [{ path: 'a.txt', is_dir: false, file_size: 1 }, { path: 'sub', is_dir: true }] });
    assert.deepEqual((await api.get(`${PROXY}?path=${root}/nothing`)).json, {});
    assert.deepEqual((await api.get(`${PROXY}?path=${root}/tree/a.txt`)).json, {});

    const tracking = await api.get(`/api/2.0/mlflow/artifacts/list?run_id=${runId}&path=tree/sub`);
    assert.deepEqual(tracking.json, {
      root_uri: `mlflow-artifacts:/${root}`,
      files: [{ path: 'tree/sub/b.csv', is_dir: false, file_size: 2 }, { path: 'tree/sub/deeper', is_dir: true }],
    });
    const top = await api.get(`/ajax-api/2.0/mlflow/artifacts/list?run_uuid=${runId}`);
    assert.ok(top.json.files.some((f: { path: string }) => f.path === 'tree'));
    assert.deepEqual((await api.get(`/api/2.0/mlflow/artifacts/list?run_id=${runId}&path=none`)).json, { root_uri: `mlflow-artifacts:/${root}` });
    assert.equal((await api.get(`/api/2.0/mlflow/artifacts/list?run_id=${'0'.repeat(32)}`)).json.error_code, 'RESOURCE_DOES_NOT_EXIST');
  });

  it('keeps unicode names, and names the download with RFC 5987', async () => {
    const name = 'ünïcødé 文件.txt';
    assert.equal((await fetch(url(`${root}/uni/${name}`), { method: 'PUT', body: 'ü' })).status, 200);
    assert.deepEqual((await api.get(`${PROXY}?path=${root}/uni`)).json.files, [{ path: name, is_dir: false, file_size: 2 }]);
    const got = await fetch(url(`${root}/uni/${name}`));
    assert.equal(await got.text(), 'ü');
    // MLflow's exact header: an ASCII fallback, then the UTF-8 name
    assert.equal(got.headers.get('content-disposition'), `attachment; filename="unicde .txt"; filename*=UTF-8''%C3%BCn%C3%AFc%C3%B8d%C3%A9%20%E6%96%87%E4%BB%B6.txt`);
  });

  it('stores empty files (Content-Length: 0, or zero chunks) and refuses a PUT without any body', async () => {
    assert.equal((await rawRequest(server.url, 'PUT', `${PROXY}/${root}/empty/zero-length`, { body: Buffer.alloc(0) })).status, 200);
    const chunked = await rawRequest(server.url, 'PUT', `${PROXY}/${root}/empty/zero-chunks`, { headers: { 'transfer-encoding': 'chunked' } });
    assert.equal(chunked.status, 200);
    for (const name of ['zero-length', 'zero-chunks']) {
      const got = await fetch(url(`${root}/empty/${name}`));
      assert.equal(got.status, 200);
      assert.equal((await got.arrayBuffer()).byteLength, 0);
    }
    const none = await bodylessPut(server.url, `${PROXY}/${root}/empty/no-body`);
    assert.match(none, /^HTTP\/1\.1 400 /);
    assert.match(none, /needs the file as its request body/);
    assert.equal((await fetch(url(`${root}/empty/no-body`))).status, 404);
  });

  it('serves byte ranges (206), and 416 for a range past the end', async () => {
    await put(`${root}/range/digits.bin`, '0123456789');
    const middle = await fetch(url(`${root}/range/digits.bin`), { headers: { range: 'bytes=2-5' } });
    assert.equal(middle.status, 206);
    assert.equal(await middle.text(), '2345');
    assert.equal(middle.headers.get('content-range'), 'bytes 2-5/10');
    const suffix = await fetch(url(`${root}/range/digits.bin`), { headers: { range: 'bytes=-3' } });
    assert.equal(await suffix.text(), '789');
    const past = await fetch(url(`${root}/range/digits.bin`), { headers: { range: 'bytes=50-' } });
    assert.equal(past.status, 416);
    assert.equal(past.headers.get('content-range'), 'bytes */10');
  });

  it('guesses Content-Type, and never serves HTML as a page (CVE-2023-6568)', async () => {
    const cases: [string, string][] = [['page.html', 'text/plain'], ['plot.png', 'image/png'], ['MLmodel', 'text/plain'], ['model.pkl', 'application/octet-stream']];
    for (const [name, type] of cases) {
      await put(`${root}/types/${name}`, '<script>alert(1)</script>');
      const got = await fetch(url(`${root}/types/${name}`));
      assert.equal(got.headers.get('content-type'), type, name);
      assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
      assert.match(got.headers.get('content-disposition') ?? '', /^attachment; /);
    }
  });

  it('downloads through /get-artifact and the logged-model routes', async () => {
    await put(`${root}/model/MLmodel`, 'flavors: {}\n');
    for (const route of ['/get-artifact', '/ajax-api/2.0/mlflow/get-artifact']) {
      const got = await fetch(`${server.url}${route}?run_uuid=${runId}&path=model/MLmodel`);
      assert.equal(got.status, 200, route);
      assert.equal(await got.text(), 'flavors: {}\n');
      assert.equal(got.headers.get('content-disposition'), 'attachment; filename=MLmodel');
    }
    const experimentId = root.split('/')[0];
    const model = (await api.post('/api/2.0/mlflow/logged-models', { experiment_id: experimentId, name: 'm' })).json.model.info;
    const modelRoot = model.artifact_uri.replace('mlflow-artifacts:/', '');
    await put(`${modelRoot}/sub/MLmodel`, 'x');
    const listed = await api.get(`/api/2.0/mlflow/logged-models/${model.model_id}/artifacts/directories?artifact_directory_path=sub`);
    assert.deepEqual(listed.json, { root_uri: model.artifact_uri, files: [{ path: 'sub/MLmodel', is_dir: false, file_size: 1 }] });
    const file = await fetch(`${server.url}/ajax-api/2.0/mlflow/logged-models/${model.model_id}/artifacts/files?artifact_file_path=sub/MLmodel`);
    assert.equal(await file.text(), 'x');
  });

  it('answers 404 RESOURCE_DOES_NOT_EXIST for a missing file or a directory', async () => {
    await put(`${root}/dir/file.txt`, 'x');
    for (const key of [`${root}/dir`, `${root}/missing.txt`, `${root}/dir/file.txt/below`]) {
      const got = await api.get(`${PROXY}/${key}`);
      assert.equal(got.status, 404, key);
      assert.equal(got.json.error_code, 'RESOURCE_DOES_NOT_EXIST');
    }
    assert.equal((await api.get(`/get-artifact?run_id=${runId}&path=dir`)).status, 404);
  });

  it("answers multipart requests with MLflow's 'not supported' on disk, so clients fall back to one PUT", async () => {
    const created = await api.post(`/api/2.0/mlflow-artifacts/mpu/create/${root}/big`, { path: '/home/me/big.bin', num_parts: 3 });
    assert.equal(created.status, 501);
    assert.equal(created.json.error_code, 'NOT_IMPLEMENTED');
    assert.match(created.json.message, /^Multipart upload is not supported for the current artifact repository/);
    // the client's local path counts by its basename only, as in MLflow; a name that is no file is refused
    const traversing = await api.post(`/api/2.0/mlflow-artifacts/mpu/create/${root}`, { path: '../../../secret.txt', num_parts: 1 });
    assert.equal(traversing.status, 501);
    for (const name of ['..', '/tmp/', 'a%2f..']) {
      const refused = await api.post(`/api/2.0/mlflow-artifacts/mpu/create/${root}`, { path: name, num_parts: 1 });
      assert.deepEqual([refused.status, refused.json.message], [400, 'Invalid path'], name);
    }
  });

  it('leaves nothing visible when the client disconnects mid-upload, and no handle open after an aborted download', async () => {
    const fds = async () => (await readdir('/proc/self/fd')).length;
    const before = await fds();
    const { hostname, port } = new URL(server.url);
    await new Promise<void>((resolve) => {
      const req = http.request({ hostname, port, method: 'PUT', path: `${PROXY}/${root}/cut/partial.bin`, headers: { 'content-length': String(8 << 20) } });
      req.on('error', () => resolve());
      req.write(Buffer.alloc(1 << 20), () => setTimeout(() => req.destroy(), 100));
      req.on('close', () => resolve());
    });
    await put(`${root}/cut/whole.bin`, Buffer.alloc(16 << 20, 7));
    await new Promise<void>((resolve) => {
      http.get({ hostname, port, path: `${PROXY}/${root}/cut/whole.bin` }, (res) => res.once('data', () => res.destroy())).on('close', resolve);
    });
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual((await api.get(`${PROXY}?path=${root}/cut`)).json.files.map((f: { path: string }) => f.path), ['whole.bin']);
    assert.deepEqual((await readdir(path.join(destination, root, 'cut'))).sort(), ['whole.bin']);
    assert.ok((await fds()) <= before + 2, `file descriptors ${before} → ${await fds()}`);
  });

  // Every MLflow path-traversal CVE shape, as an HTTP request against these routes.
  const SHAPES: Record<string, string[]> = {
    'CVE-2023-1176 absolute': ['/etc/passwd', '%2fetc%2fpasswd', 'C:/Windows/win.ini'],
    'CVE-2023-1177 / -2356 / -6977 relative': ['../../secret.txt', '1/../../../secret.txt', '..'],
    'CVE-2023-2780 / -6909 backslash': ['..%5c..%5csecret.txt', '%5c..%5c..%5csecret.txt', 'a\\..\\..\\secret.txt'],
    'CVE-2023-6975 / -6730 encoded': ['%2e%2e/%2e%2e/secret.txt', '%2E%2E%2F%2E%2E%2Fsecret.txt'],
    'CVE-2024-1560 double decoding': ['%252e%252e/%252e%252e/secret.txt', '%25252e%25252e%25252fsecret.txt'],
    'CVE-2024-1483 fragment': ['x%23/../../secret.txt', 'x%2523y'],
    'CVE-2024-1593 path parameter': ['x;/../../secret.txt', 'x%3b/..%2f..%2fsecret.txt'],
  };
  for (const [cve, shapes] of Object.entries(SHAPES)) {
    it(`refuses ${cve} on every artifact route, reading and writing nothing outside the destination`, async () => {
      const sentinel = path.join(sandbox, 'secret.txt');
      const before = await stat(sentinel);
      const targets = (shape: string, q = encodeURIComponent(shape)): [string, string, Buffer?][] => [
        ['GET', `${PROXY}/${shape}`],
        ['PUT', `${PROXY}/${shape}`, Buffer.from('pwned')],
        ['DELETE', `${PROXY}/${shape}`],
        ['GET', `/ajax-api/2.0/mlflow-artifacts/artifacts/${shape}`],
        ['GET', `${PROXY}?path=${q}`],
        ['GET', `/api/2.0/mlflow/artifacts/list?run_id=${runId}&path=${q}`],
        ['GET', `/get-artifact?run_uuid=${runId}&path=${q}`],
        ['GET', `/model-versions/get-artifact?name=${modelName}&version=1&path=${q}`],
        ['POST', `/ajax-api/2.0/mlflow/upload-artifact?run_uuid=${runId}&path=${q}`, Buffer.from('pwned')],
        ['POST', `/api/2.0/mlflow-artifacts/mpu/create/${shape}`, Buffer.from(JSON.stringify({ path: 'f.bin', num_parts: 1 }))],
      ];
      for (const shape of shapes) {
        for (const [method, target, body] of targets(shape)) {
          const headers: Record<string, string> = method === 'POST' ? { 'content-type': 'application/json' } : {};
          const res = await rawRequest(server.url, method, target, { body, headers });
          assert.equal(res.status, 400, `${method} ${target} → ${res.status} ${res.body}`);
          assert.deepEqual(JSON.parse(res.body.toString()), { error_code: 'INVALID_PARAMETER_VALUE', message: 'Invalid path' }, target);
        }
      }
      const after = await stat(sentinel);
      assert.equal(await readFile(sentinel, 'utf8'), SENTINEL);
      assert.equal(after.mtimeMs, before.mtimeMs);
      assert.deepEqual((await readdir(sandbox)).sort(), ['destination', 'secret.txt']);
    });
  }

  it('refuses experiments whose artifact_location points at the server (CVE-2024-3573, -1483)', async () => {
    for (const location of ['file:///etc', '/etc', 'file:///tmp#x', 'mlflow-artifacts:/../../etc', 'mlflow-artifacts:/1;x']) {
      const created = await api.post('/api/2.0/mlflow/experiments/create', { name: `evil-${randomUUID()}`, artifact_location: location });
      assert.equal(created.status, 400, location);
      assert.equal(created.json.error_code, 'INVALID_PARAMETER_VALUE');
    }
  });
});
