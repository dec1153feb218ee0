import { Transform } from 'node:stream';
import { CairnError, ErrorCode } from '@cairn/contracts';

/**
 * Passes bytes through and fails the stream when their count differs from the announced
 * Content-Length, so a body cut short never becomes a (truncated) visible object.
 */
export function lengthGuard(expected: number | undefined): Transform {
  let seen = 0;
  const mismatch = () => new CairnError(ErrorCode.BAD_REQUEST, `Expected ${expected} bytes but received ${seen}`);
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (expected !== undefined && seen > expected) callback(mismatch());
      else callback(null, chunk);
    },
    flush(callback) {
      callback(expected !== undefined && seen !== expected ? mismatch() : null);
    },
  });
}
