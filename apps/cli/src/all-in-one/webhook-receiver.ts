import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  status: number;
}

/** A webhook receiver on loopback, for tests: answers the queued statuses in turn, then 200. */
export async function webhookReceiver(statuses: number[] = []) {
  const received: Received[] = [];
  const waiters: (() => void)[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const status = statuses.shift() ?? 200;
      received.push({ headers: req.headers, body, status });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status >= 400 ? 'boom' : 'ok');
      waiters.splice(0).forEach((w) => w());
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const until = async (n: number, timeoutMs = 15_000) => {
    const deadline = Date.now() + timeoutMs;
    while (received.length < n) {
      if (Date.now() > deadline) throw new Error(`receiver got ${received.length} of ${n} deliveries`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 200);
      });
    }
    return received;
  };
  return { url, received, until, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** MLflow's `_generate_hmac_signature`, as a receiver verifies it. */
export const mlflowSignature = (secret: string, deliveryId: string, timestamp: string, body: string) =>
  `v1,${createHmac('sha256', secret).update(`${deliveryId}.${timestamp}.${body}`).digest('base64')}`;
