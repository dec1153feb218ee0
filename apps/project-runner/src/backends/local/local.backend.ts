import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { shellQuote } from '@cairn/mlproject';
import type { BackendHandle, LaunchSpec, LogChunk, ProjectBackend, RunOutcome } from '../backend';

const MAX_LOG_CHUNK = 1024 * 1024;
const KILL_GRACE_MS = 10_000;

const exitFile = (logPath: string) => `${logPath}.exit`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

/**
 * Runs the command as MLflow's local backend does (`bash -c`, the virtualenv sourced first), in its
 * own process group so cancelling kills the whole tree. A tiny shell wrapper records the exit code
 * next to the log, so a runner that restarted can still learn how a run it started ended.
 */
export class LocalBackend implements ProjectBackend {
  readonly name = 'local' as const;
  private readonly cancelled = new Set<number>();

  async launch(spec: LaunchSpec): Promise<BackendHandle> {
    const command = spec.activate ? `source ${shellQuote(spec.activate)} && ${spec.command}` : spec.command;
    const wrapper = `bash -c ${shellQuote(command)}; code=$?; echo $code > ${shellQuote(exitFile(spec.logPath))}; exit $code`;
    const out = openSync(spec.logPath, 'a');
    try {
      const child = spawn('bash', ['-c', wrapper], {
        cwd: spec.projectDir,
        env: { ...process.env, ...spec.env },
        stdio: ['ignore', out, out],
        detached: true,
      });
      await new Promise<void>((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', reject);
      });
      child.unref();
      return { backend: 'local', pid: child.pid!, startedAt: Date.now() };
    } finally {
      closeSync(out);
    }
  }

  async wait(handle: BackendHandle, signal: AbortSignal, spec?: { logPath: string }): Promise<RunOutcome> {
    const h = local(handle);
    while (alive(h.pid)) {
      await sleep(200, undefined, { signal });
    }
    const cancelled = this.cancelled.delete(h.pid);
    const code = spec ? await readExitCode(spec.logPath) : null;
    if (cancelled) return { status: 'KILLED', message: 'Cancelled: the process tree was terminated.', ...(code !== null && { exitCode: code }) };
    if (code === null) return { status: 'FAILED', message: 'The process ended without recording an exit code (killed from outside?).' };
    if (code === 0) return { status: 'FINISHED', exitCode: 0 };
    return { status: 'FAILED', exitCode: code, message: `The command exited with code ${code}.` };
  }

  async logs(_handle: BackendHandle, offset: number, spec: { logPath: string }): Promise<LogChunk> {
    return readLogFile(spec.logPath, offset);
  }

  async cancel(handle: BackendHandle): Promise<void> {
    const h = local(handle);
    if (!alive(h.pid)) return;
    this.cancelled.add(h.pid);
    signalGroup(h.pid, 'SIGTERM');
    const deadline = Date.now() + KILL_GRACE_MS;
    while (alive(h.pid) && Date.now() < deadline) await sleep(100);
    signalGroup(h.pid, 'SIGKILL');
  }
}

function local(handle: BackendHandle) {
  if (handle.backend !== 'local') throw new Error(`not a local run: ${handle.backend}`);
  return handle;
}

async function readExitCode(logPath: string): Promise<number | null> {
  const text = await readFile(exitFile(logPath), 'utf8').catch(() => null);
  const code = text === null ? NaN : Number.parseInt(text.trim(), 10);
  return Number.isInteger(code) ? code : null;
}

/** Up to 1 MiB of a log file from `offset`, ending on a whole UTF-8 character. */
export async function readLogFile(logPath: string, offset: number): Promise<LogChunk> {
  const fh = await open(logPath, 'r').catch(() => null);
  if (fh === null) return { data: '', nextOffset: offset };
  try {
    const buf = Buffer.alloc(MAX_LOG_CHUNK);
    const { bytesRead } = await fh.read(buf, 0, MAX_LOG_CHUNK, offset);
    let end = bytesRead;
    // Do not split a multi-byte character: back off to its first byte if the chunk was cut.
    if (bytesRead === MAX_LOG_CHUNK) {
      let i = end - 1;
      while (i > 0 && (buf[i] & 0xc0) === 0x80) i--;
      if ((buf[i] & 0x80) !== 0) end = i;
    }
    return { data: buf.subarray(0, end).toString('utf8'), nextOffset: offset + end };
  } finally {
    await fh.close();
  }
}
