import { execFile } from 'node:child_process';

/**
 * git as a subprocess, hardened for URLs a client chose: only plain transports (no `ext::`/`fd::`
 * helpers that run commands), no terminal prompts, no system/global config, arguments after `--`.
 */
const GIT_ENV = {
  GIT_ALLOW_PROTOCOL: 'file:git:http:https:ssh',
  GIT_TERMINAL_PROMPT: '0',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_SSH_COMMAND: 'ssh -o BatchMode=yes',
};

export class GitError extends Error {}

export function git(args: string[], cwd: string, timeoutMs = 300_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      { cwd, env: { ...process.env, ...GIT_ENV }, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) reject(new GitError((stderr || err.message).trim()));
        else resolve(stdout.trim());
      },
    );
  });
}

/** The commit HEAD points at, when `dir` is inside a git work tree; null otherwise (MLflow's `_get_git_commit`). */
export async function headCommit(dir: string): Promise<string | null> {
  try {
    return await git(['rev-parse', 'HEAD'], dir, 10_000);
  } catch {
    return null;
  }
}

/** The `origin` remote of the work tree containing `dir`, if any (MLflow's `get_git_repo_url`). */
export async function originUrl(dir: string): Promise<string | null> {
  try {
    return (await git(['config', '--get', 'remote.origin.url'], dir, 10_000)) || null;
  } catch {
    return null;
  }
}
