import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';

/** Runs a program to completion, its output appended to `log`; rejects with the exit status. */
export function runLogged(file: string, args: string[], opts: { cwd?: string; log: Writable; env?: NodeJS.ProcessEnv }): Promise<void> {
  return new Promise((resolve, reject) => {
    opts.log.write(`$ ${[file, ...args].join(' ')}\n`);
    const child = spawn(file, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(opts.log, { end: false });
    child.stderr.pipe(opts.log, { end: false });
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${[file, ...args].join(' ')} failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

/** A program's stdout, or null when it cannot run. */
export function capture(file: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', () => resolve(null));
    child.once('close', (code) => resolve(code === 0 ? out.trim() : null));
  });
}
