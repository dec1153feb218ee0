import { existsSync } from 'node:fs';
import { mkdir, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PythonEnv } from '@cairn/mlproject';
import { pythonEnvName } from '@cairn/mlproject';
import { capture, runLogged } from './process';

const READY = '.cairn-ready';
const STALE_LOCK_MS = 30 * 60_000;

/** An interpreter whose version matches what python_env.yaml asks for (`3.11` matches 3.11.x). */
export async function findPython(wanted: string, preferred: string): Promise<string> {
  const [major, minor] = wanted.split('.');
  const candidates = [...new Set([`python${major}.${minor}`, preferred, `python${major}`, 'python3'])];
  const found: string[] = [];
  for (const candidate of candidates) {
    const version = await capture(candidate, ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])']);
    if (version === null) continue;
    if (version === wanted || version.startsWith(`${wanted}.`)) return candidate;
    found.push(`${candidate} is ${version}`);
  }
  throw new Error(
    `python_env.yaml asks for Python ${wanted}, and no matching interpreter is installed on the runner (${found.join(', ') || 'none found'}). ` +
      'Install it, change the project\'s python version, or run with --env-manager local.',
  );
}

/**
 * MLflow's `_get_or_create_virtualenv`: one virtualenv per distinct python_env (named
 * `mlflow-<sha1>` as MLflow names it), built once and reused. Concurrent runs of the same project
 * (a sweep) wait for the one build; a build that died half-way is thrown away and redone.
 * Returns the `activate` script to source before the command.
 */
export async function ensureVirtualenv(
  env: PythonEnv,
  opts: { envsDir: string; projectDir: string; python: string; log: Writable },
): Promise<string> {
  const envDir = path.join(opts.envsDir, pythonEnvName(env));
  const activate = path.join(envDir, 'bin', 'activate');
  if (existsSync(path.join(envDir, READY))) {
    opts.log.write(`=== Reusing virtualenv ${envDir} ===\n`);
    return activate;
  }
  await mkdir(opts.envsDir, { recursive: true });
  const lock = `${envDir}.lock`;
  await acquire(lock, opts.log);
  try {
    if (existsSync(path.join(envDir, READY))) return activate;
    await rm(envDir, { recursive: true, force: true });
    opts.log.write(`=== Creating virtualenv ${envDir} (Python ${env.python}) ===\n`);
    const python = await findPython(env.python, opts.python);
    await runLogged(python, ['-m', 'venv', envDir], { log: opts.log });
    const pip = [path.join(envDir, 'bin', 'python'), '-m', 'pip', 'install', '--disable-pip-version-check', '--no-input'] as const;
    if (env.build_dependencies.length > 0) {
      await runLogged(pip[0], [...pip.slice(1), ...env.build_dependencies], { log: opts.log, cwd: opts.projectDir });
    }
    if (env.dependencies.length > 0) {
      // As MLflow does: a requirements file in the project dir, so `-r requirements.txt` and
      // relative paths in the list resolve against the project.
      const req = path.join(opts.projectDir, `.cairn-requirements-${process.pid}-${Date.now()}.txt`);
      await writeFile(req, env.dependencies.join('\n') + '\n');
      try {
        await runLogged(pip[0], [...pip.slice(1), '-r', req], { log: opts.log, cwd: opts.projectDir });
      } finally {
        await rm(req, { force: true });
      }
    }
    await writeFile(path.join(envDir, READY), new Date().toISOString());
    return activate;
  } catch (e) {
    await rm(envDir, { recursive: true, force: true });
    throw e;
  } finally {
    await rmdir(lock).catch(() => undefined);
  }
}

async function acquire(lock: string, log: Writable): Promise<void> {
  let announced = false;
  for (;;) {
    try {
      await mkdir(lock);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const age = Date.now() - (await stat(lock).then((s) => s.mtimeMs, () => Date.now()));
      if (age > STALE_LOCK_MS) {
        await rmdir(lock).catch(() => undefined);
        continue;
      }
      if (!announced) log.write('=== Waiting for another run to finish building this virtualenv ===\n');
      announced = true;
      await sleep(500);
    }
  }
}
