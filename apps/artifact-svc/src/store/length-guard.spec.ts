import assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, it } from 'node:test';
import { lengthGuard } from './length-guard';

const drain = () => new Writable({ write: (_chunk, _encoding, callback) => callback() });
const bytes = (...sizes: number[]) => Readable.from(sizes.map((n) => Buffer.alloc(n)));

describe('lengthGuard', () => {
  it('passes a body of exactly the announced length, or any length when none was announced', async () => {
    await pipeline(bytes(3, 4), lengthGuard(7), drain());
    await pipeline(bytes(3, 4), lengthGuard(undefined), drain());
    await pipeline(bytes(), lengthGuard(0), drain());
  });

  it('fails a body that is shorter or longer than announced', async () => {
    await assert.rejects(pipeline(bytes(3), lengthGuard(7), drain()), /Expected 7 bytes but received 3/);
    await assert.rejects(pipeline(bytes(5, 5), lengthGuard(7), drain()), /Expected 7 bytes but received 10/);
  });
});
