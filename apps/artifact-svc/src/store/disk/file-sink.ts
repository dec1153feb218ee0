import type { FileHandle } from 'node:fs/promises';
import { Writable } from 'node:stream';

/**
 * A Writable over an open FileHandle that fsyncs before it finishes and leaves closing to the
 * owner (fs.WriteStream with autoClose:false never emits 'close', which stalls a pipeline).
 */
export function fileSink(handle: FileHandle): Writable {
  return new Writable({
    highWaterMark: 1024 * 1024,
    writev(chunks, callback) {
      writeAll(
        handle,
        chunks.map(({ chunk }) => chunk as Buffer),
      ).then(() => callback(), callback);
    },
    final(callback) {
      handle.sync().then(() => callback(), callback);
    },
  });
}

async function writeAll(handle: FileHandle, buffers: Buffer[]): Promise<void> {
  const total = buffers.reduce((sum, b) => sum + b.length, 0);
  let { bytesWritten } = await handle.writev(buffers);
  if (bytesWritten === total) return;
  const rest = Buffer.concat(buffers).subarray(bytesWritten); // a short write: rare, finish it plainly
  for (let offset = 0; offset < rest.length; offset += bytesWritten) {
    ({ bytesWritten } = await handle.write(rest, offset));
  }
}
