import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

const CHUNK = 1024 * 1024;
// A few distinct chunks, reused: the producer itself allocates nothing while streaming, so the
// memory a test sees growing is what the code under test holds.
const PATTERNS = Array.from({ length: 7 }, (_, i) => Buffer.alloc(CHUNK, (i * 37 + 11) % 256));

export interface PatternStream {
  stream: Readable;
  /** sha256 of everything the stream produced, once it has ended. */
  digest(): string;
}

/** `size` bytes of a varying, reproducible pattern, streamed in 1 MiB chunks. */
export function patternStream(size: number, failAfter?: number): PatternStream {
  const hash = createHash('sha256');
  let digest = '';
  async function* chunks() {
    let sent = 0;
    for (let i = 0; sent < size; i++) {
      if (failAfter !== undefined && sent >= failAfter) throw new Error('the client went away');
      const chunk = (PATTERNS[i % PATTERNS.length] as Buffer).subarray(0, Math.min(CHUNK, size - sent));
      hash.update(chunk);
      sent += chunk.length;
      yield chunk;
      await new Promise(setImmediate);
    }
    digest = hash.digest('hex');
  }
  return { stream: Readable.from(chunks(), { objectMode: false }), digest: () => digest };
}

/** sha256 and length of a stream, read to its end without keeping it. */
export async function digestOf(stream: Readable): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

export async function textOf(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** Peak growth of JS heap plus Buffer memory while `work` runs, in bytes. */
export async function peakMemoryGrowth(work: () => Promise<void>): Promise<number> {
  const used = () => {
    const { heapUsed, arrayBuffers } = process.memoryUsage();
    return heapUsed + arrayBuffers;
  };
  const baseline = used();
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, used())), 5);
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  return Math.max(peak, used()) - baseline;
}
