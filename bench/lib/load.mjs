// Closed-loop load: N clients, each sending its next request as soon as the previous one is
// answered, bounded by a duration AND an operation count (whichever comes first), after a short
// warm-up that is not recorded.

/** A failed operation: HTTP status (0 = connection error or a bad response body) and why. */
export class OpError extends Error {
  /** @param {number} status @param {string} message */
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/**
 * Throws an OpError unless the reply is a 2xx.
 * @param {import('./http.mjs').Reply} reply @param {string} what
 */
export function expectOk(reply, what) {
  if (reply.status >= 200 && reply.status < 300) return;
  const detail = reply.error ?? reply.body.toString('utf8').slice(0, 200);
  throw new OpError(reply.status, `${what}: HTTP ${reply.status} ${detail}`);
}

/** Statuses that mean "this server does not implement the endpoint". */
export const MISSING = new Set([404, 405, 501]);

/**
 * @typedef {object} OpResult
 * @property {number} ms       latency of the measured request
 * @property {number} [units]  work done (runs, metric points, ...); default 1
 * @property {number} [bytes]  response size
 */

/**
 * @typedef {object} LoadOptions
 * @property {number} clients
 * @property {number} durationMs
 * @property {number} maxOps
 * @property {number} warmupOps   per client
 * @property {number} [minOps]    keep going past durationMs until this many operations are
 *                                done (default 5: a slow server still gets percentiles), but
 *                                never past 4 × durationMs
 * @property {number} [maxErrors] stop once this many operations failed (default 20)
 * @property {(client: number, i: number) => Promise<OpResult>} op
 */

/**
 * @typedef {object} LoadResult
 * @property {number} ops
 * @property {number} units
 * @property {number} bytes
 * @property {number} wallMs
 * @property {number[]} latencies  sorted, ms
 * @property {{ status: number, message: string }[]} errors
 * @property {number | undefined} missing  status if the endpoint is not implemented
 */

/** @param {LoadOptions} o @returns {Promise<LoadResult>} */
export async function runLoad(o) {
  const maxErrors = o.maxErrors ?? 20;
  /** @type {LoadResult['errors']} */
  const errors = [];
  let missing;

  // warm-up: every client, sequentially within the client, not recorded; stop at the first error
  try {
    await Promise.all(
      Array.from({ length: o.clients }, async (_, c) => {
        for (let i = 0; i < o.warmupOps; i++) await o.op(c, -1 - i);
      }),
    );
  } catch (e) {
    const status = e instanceof OpError ? e.status : 0;
    if (MISSING.has(status)) missing = status;
    errors.push({ status, message: String(e instanceof Error ? e.message : e) });
    return { ops: 0, units: 0, bytes: 0, wallMs: 0, latencies: [], errors, missing };
  }

  /** @type {number[]} */
  const latencies = [];
  let units = 0;
  let bytes = 0;
  let issued = 0;
  const minOps = Math.min(o.minOps ?? 5, o.maxOps);
  const started = performance.now();
  const deadline = started + o.durationMs;
  const hardDeadline = started + 4 * o.durationMs;
  const more = () => {
    const now = performance.now();
    if (issued >= o.maxOps || errors.length >= maxErrors || now >= hardDeadline) return false;
    return now < deadline || issued < minOps;
  };
  await Promise.all(
    Array.from({ length: o.clients }, async (_, c) => {
      while (more()) {
        const i = issued++;
        try {
          const r = await o.op(c, i);
          latencies.push(r.ms);
          units += r.units ?? 1;
          bytes += r.bytes ?? 0;
        } catch (e) {
          errors.push({ status: e instanceof OpError ? e.status : 0, message: String(e instanceof Error ? e.message : e) });
        }
      }
    }),
  );
  const wallMs = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return { ops: latencies.length, units, bytes, wallMs, latencies, errors, missing };
}

/** Nearest-rank percentile of a sorted array. @param {number[]} sorted @param {number} p 0..100 */
export function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** Runs `fn` over items with at most `limit` in flight; the first error rejects (others finish). */
export async function pool(/** @type {number} */ limit, /** @type {any[]} */ items, /** @type {(x: any, i: number) => Promise<void>} */ fn) {
  let next = 0;
  /** @type {unknown} */
  let failure;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length && failure === undefined) {
        const i = next++;
        try {
          await fn(items[i], i);
        } catch (e) {
          failure ??= e;
        }
      }
    }),
  );
  if (failure !== undefined) throw failure;
}
