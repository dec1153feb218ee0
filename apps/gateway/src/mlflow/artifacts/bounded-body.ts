import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { invalidParameter } from '@cairn/contracts';

/** The UI's upload-artifact takes at most this much, as MLflow's handler does. */
export const UI_UPLOAD_MAX_BYTES = 10 * 1024 * 1024;

export const tooLarge = () => invalidParameter('Artifact size is too large. Max size is 10MB.');
export const noData = () => invalidParameter('Request must specify data.');

/**
 * `body` streamed on, failing once it passes `maxBytes` (a chunked body announces no length) or
 * when it ends without a byte: the upload then fails and leaves nothing visible.
 */
export function boundedBody(body: Readable, maxBytes: number): Readable {
  let seen = 0;
  const guard = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      callback(seen > maxBytes ? tooLarge() : null, chunk);
    },
    flush(callback) {
      callback(seen === 0 ? noData() : null);
    },
  });
  body.on('error', (err) => guard.destroy(err));
  return body.pipe(guard);
}
