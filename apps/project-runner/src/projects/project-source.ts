import { existsSync, statSync } from 'node:fs';
import { mkdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { invalidParameter } from '@cairn/contracts';
import { git, GitError, headCommit, originUrl } from './git';

/** A project ready to run: where it is on the runner's disk, and where it came from. */
export interface FetchedProject {
  /** The project directory (the `#subdirectory` applied). */
  dir: string;
  /** `mlflow.source.name`: the URI as given, without the fragment for git. */
  sourceName: string;
  /** Set when the project is (in) a git repository. */
  git?: {
    /** `mlflow.source.git.repoURL`: the clone URL, or a local checkout's `origin` (absent without one). */
    repoUrl?: string;
    commit: string;
    /** `mlflow.source.git.branch`, when `version` names a branch. */
    branch?: string;
    /** Inside the repository, '' for its root. */
    subdirectory: string;
    /** Whether a pod can clone it (a remote URL, not a directory on the runner). */
    remote: boolean;
  };
}

export interface FetchOptions {
  /** Where a git project is cloned (created; the caller removes it). */
  workDir: string;
  /** Whether local directories and `file://` repositories are accepted. */
  allowLocal: boolean;
}

/** MLflow's `_parse_subdirectory`, with its `..` check made stricter (any segment, any encoding). */
export function splitSubdirectory(uri: string): { base: string; subdirectory: string } {
  const parts = uri.split('#');
  if (parts.length > 2) throw invalidParameter("Invalid uri. Only one '#' allowed.");
  const subdirectory = (parts[1] ?? '').replace(/^\/+|\/+$/g, '');
  let decoded = subdirectory;
  for (let i = 0; i < 3; i++) {
    try {
      decoded = decodeURIComponent(decoded);
    } catch {
      break;
    }
  }
  if (decoded.split(/[\\/]/).includes('..') || decoded.includes('\0') || path.isAbsolute(decoded)) {
    throw invalidParameter(`Invalid subdirectory '${subdirectory}': it must stay inside the project ('..' and absolute paths are not allowed).`);
  }
  return { base: parts[0], subdirectory };
}

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
const SCP_LIKE = /^[^/@:]+@[^/:]+:/; // git@host:org/repo.git

function isGitRepo(dir: string): boolean {
  return existsSync(path.join(dir, '.git')) || (existsSync(path.join(dir, 'HEAD')) && existsSync(path.join(dir, 'objects')));
}

/**
 * Makes a project URI a directory on the runner's disk, as MLflow's `_fetch_project` does: a local
 * directory is used in place; a git URI (any transport git supports, `file://` included) is cloned
 * into `workDir` and `version` (commit, branch or tag) checked out.
 */
export async function fetchProject(uri: string, version: string | undefined, opts: FetchOptions): Promise<FetchedProject> {
  if (uri.trim() === '') throw invalidParameter('A project URI is required.');
  if (uri.startsWith('-')) throw invalidParameter(`Invalid project URI '${uri}'.`);
  const { base, subdirectory } = splitSubdirectory(uri);
  const scheme = SCHEME.exec(base)?.[1]?.toLowerCase();

  if (scheme === undefined && !SCP_LIKE.test(base)) {
    return fetchLocalDirectory(base, subdirectory, version, opts);
  }
  if (scheme === 'file') {
    if (!opts.allowLocal) throw localRefused(uri);
    const local = fileURLToPath(base);
    if (!isGitRepo(local)) return fetchLocalDirectory(local, subdirectory, version, opts);
  } else if (scheme !== undefined && !['http', 'https', 'git', 'ssh'].includes(scheme)) {
    throw invalidParameter(`Unsupported project URI scheme '${scheme}': use a local directory or a git URI (https, ssh, git, file).`);
  }
  return cloneGitProject(base, subdirectory, version, opts.workDir);
}

function localRefused(uri: string) {
  return invalidParameter(
    `This runner does not accept projects on its own disk ('${uri}'); submit a git URI (https://…/repo.git#subdir) instead. ` +
      'An operator can allow local projects with CAIRN_RUNNER_LOCAL_PROJECTS=true.',
  );
}

async function fetchLocalDirectory(dirGiven: string, subdirectory: string, version: string | undefined, opts: FetchOptions): Promise<FetchedProject> {
  if (!opts.allowLocal) throw localRefused(dirGiven);
  if (!path.isAbsolute(dirGiven)) {
    throw invalidParameter(`A local project must be given as an absolute path, got '${dirGiven}' (the CLI resolves relative paths for you).`);
  }
  if (version !== undefined) {
    throw invalidParameter('Setting a version is only supported for Git project URIs');
  }
  const root = path.resolve(dirGiven);
  const dir = path.join(root, subdirectory);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw invalidParameter(`Project directory '${dir}' does not exist or is not a directory.`);
  }
  // The subdirectory must not leave the project through a symlink either.
  const real = await realpath(dir);
  const realRoot = await realpath(root);
  if (real !== realRoot && !real.startsWith(realRoot + path.sep)) {
    throw invalidParameter(`Invalid subdirectory '${subdirectory}': it leaves the project directory.`);
  }
  const commit = await headCommit(dir);
  const repoUrl = commit ? await originUrl(dir) : null;
  return {
    dir: real,
    sourceName: path.join(root, subdirectory),
    ...(commit && { git: { ...(repoUrl && { repoUrl }), commit, subdirectory, remote: false } }),
  };
}

async function cloneGitProject(url: string, subdirectory: string, version: string | undefined, workDir: string): Promise<FetchedProject> {
  await mkdir(workDir, { recursive: true });
  try {
    await git(['clone', '--quiet', '--no-checkout', '--', url, workDir], path.dirname(workDir));
  } catch (e) {
    throw invalidParameter(`Unable to fetch git repository '${url}': ${(e as GitError).message}`);
  }
  let branch: string | undefined;
  try {
    if (version === undefined) {
      await git(['checkout', '--quiet', '--detach', 'HEAD'], workDir);
    } else {
      if (version.startsWith('-')) throw new GitError(`invalid version '${version}'`);
      const isBranch = await git(['rev-parse', '--verify', '--quiet', `refs/remotes/origin/${version}`], workDir).then(
        () => true,
        () => false,
      );
      await git(['checkout', '--quiet', '--detach', isBranch ? `origin/${version}` : version], workDir);
      if (isBranch) branch = version;
    }
  } catch (e) {
    throw invalidParameter(
      `Unable to checkout version '${version ?? 'HEAD'}' of git repo ${url} - please ensure that the version exists in the repo. Error: ${(e as Error).message}`,
    );
  }
  const commit = await git(['rev-parse', 'HEAD'], workDir);
  const dir = path.join(workDir, subdirectory);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw invalidParameter(`Subdirectory '${subdirectory}' does not exist in ${url} at ${commit.slice(0, 12)}.`);
  }
  const real = await realpath(dir);
  if (real !== (await realpath(workDir)) && !real.startsWith((await realpath(workDir)) + path.sep)) {
    throw invalidParameter(`Invalid subdirectory '${subdirectory}': it leaves the repository.`);
  }
  return { dir: real, sourceName: url, git: { repoUrl: url, commit, subdirectory, ...(branch && { branch }), remote: !url.startsWith('file:') } };
}
