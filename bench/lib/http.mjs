// A small keep-alive HTTP/1.1 client for the MLflow REST API, on node:http (cheaper per request
// than fetch on Node 20, which matters when the load generator shares 2 cores with the server).
// Latency is measured from the request's start to the last byte of the response body; the
// body is parsed afterwards, outside the measured interval.
import http from 'node:http';

/** Hosts the harness may talk to: this machine only. */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * @typedef {object} Reply
 * @property {number} status   HTTP status (0 when the connection failed)
 * @property {Buffer} body
 * @property {number} ms       request start → last body byte, in milliseconds
 * @property {string} [error]  connection-level error message
 */

export class HttpError extends Error {
  /** @param {string} what @param {Reply} reply */
  constructor(what, reply) {
    const text = reply.error ?? reply.body.toString('utf8').slice(0, 300);
    super(`${what}: HTTP ${reply.status} ${text}`);
    this.status = reply.status;
    this.reply = reply;
  }
}

export class Client {
  /**
   * @param {string} baseUrl  e.g. http://127.0.0.1:15990 (loopback only)
   * @param {{ sockets?: number, timeoutMs?: number }} [opts]
   */
  constructor(baseUrl, opts = {}) {
    const u = new URL(baseUrl);
    if (u.protocol !== 'http:') throw new Error(`only http:// URLs are supported, got ${baseUrl}`);
    if (!LOOPBACK.has(u.hostname)) {
      throw new Error(`refusing to benchmark ${u.hostname}: the harness only targets this machine (127.0.0.1)`);
    }
    this.host = u.hostname === 'localhost' ? '127.0.0.1' : u.hostname.replace(/^\[|\]$/g, '');
    this.port = Number(u.port || 80);
    this.prefix = u.pathname.replace(/\/$/, '');
    this.timeoutMs = opts.timeoutMs ?? 120_000;
    this.agent = new http.Agent({ keepAlive: true, maxSockets: opts.sockets ?? 64, maxFreeSockets: opts.sockets ?? 64 });
  }

  close() {
    this.agent.destroy();
  }

  /**
   * @param {'GET'|'POST'} method
   * @param {string} path        e.g. /api/2.0/mlflow/runs/create (query string included for GET)
   * @param {unknown} [body]     JSON-encoded for POST
   * @returns {Promise<Reply>}
   */
  request(method, path, body) {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve) => {
      const started = process.hrtime.bigint();
      const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
      const req = http.request(
        {
          host: this.host,
          port: this.port,
          method,
          path: this.prefix + path,
          agent: this.agent,
          headers: payload
            ? { 'content-type': 'application/json', 'content-length': payload.length, accept: 'application/json' }
            : { accept: 'application/json' },
        },
        (res) => {
          /** @type {Buffer[]} */
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), ms: elapsed() }));
          res.on('error', (e) => resolve({ status: 0, body: Buffer.alloc(0), ms: elapsed(), error: e.message }));
        },
      );
      req.setTimeout(this.timeoutMs, () => req.destroy(new Error(`timed out after ${this.timeoutMs} ms`)));
      req.on('error', (e) => resolve({ status: 0, body: Buffer.alloc(0), ms: elapsed(), error: e.message }));
      if (payload) req.end(payload);
      else req.end();
    });
  }

  /**
   * POST/GET that must succeed; returns the parsed JSON. Retries 5xx and connection errors
   * (`retries` times, with a short backoff) because seeding must survive a transient
   * deadlock or a worker restart on the server under test.
   * @param {'GET'|'POST'} method @param {string} path @param {unknown} [body]
   * @param {{ retries?: number }} [opts]
   * @returns {Promise<any>}
   */
  async call(method, path, body, opts = {}) {
    const retries = opts.retries ?? 3;
    for (let attempt = 0; ; attempt++) {
      const reply = await this.request(method, path, body);
      if (reply.status >= 200 && reply.status < 300) return parseJson(reply.body);
      const transient = reply.status === 0 || reply.status >= 500;
      if (!transient || attempt >= retries || reply.status === 501) throw new HttpError(`${method} ${path}`, reply);
      await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
    }
  }

  /** @param {string} path @param {unknown} body */
  post(path, body, opts = {}) {
    return this.call('POST', `/api/2.0/mlflow/${path}`, body, opts);
  }

  /** @param {string} path @param {Record<string, string|number|string[]>} [query] */
  get(path, query = {}, opts = {}) {
    return this.call('GET', `/api/2.0/mlflow/${path}${qs(query)}`, undefined, opts);
  }
}

/** @param {Buffer} body */
export function parseJson(body) {
  return body.length ? JSON.parse(body.toString('utf8')) : {};
}

/** Query string; array values become repeated keys (MLflow's convention for repeated fields). */
export function qs(/** @type {Record<string, string|number|string[]|undefined>} */ query) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const x of v) p.append(k, String(x));
    else p.append(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}
