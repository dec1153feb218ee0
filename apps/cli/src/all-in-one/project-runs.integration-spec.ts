import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { ProjectRun } from '@cairn/contracts';
import { httpClient } from '@cairn/testing';
import type { TestServer } from './test-server';
import { startTestServer } from './test-server';

// MLproject runs through the gateway on the local backend: real processes, a real git repository,
// real PostgreSQL. Projects use `--env-manager local` (the machine's python3, stdlib only) except
// the one test that builds a virtualenv.
const PR = '/api/cairn/v1/project-runs';

const LOG_PY = `
import json, os, sys, urllib.request
uri, run = os.environ["MLFLOW_TRACKING_URI"], os.environ["MLFLOW_RUN_ID"]
body = {"run_id": run, "key": "score", "value": float(sys.argv[1]), "timestamp": 0, "step": 0}
req = urllib.request.Request(uri + "/api/2.0/mlflow/runs/log-metric", data=json.dumps(body).encode(), headers={"content-type": "application/json"})
urllib.request.urlopen(req)
print("argv=" + json.dumps(sys.argv[1:]))
print("experiment=" + os.environ["MLFLOW_EXPERIMENT_ID"])
`;
const CLOSE_PY = `
import json, os, urllib.request
uri, run = os.environ["MLFLOW_TRACKING_URI"], os.environ["MLFLOW_RUN_ID"]
body = {"run_id": run, "status": "KILLED", "end_time": 1}
urllib.request.urlopen(urllib.request.Request(uri + "/api/2.0/mlflow/runs/update", data=json.dumps(body).encode(), headers={"content-type": "application/json"}))
`;
const WINDOW_PY = `
import sys, time
with open("windows.log", "a") as f: f.write("start %f\\n" % time.time())
time.sleep(1.0)
with open("windows.log", "a") as f: f.write("end %f\\n" % time.time())
`;
const MLPROJECT = `
name: fixture
entry_points:
  main:
    parameters:
      score: float
      note: {type: string, default: "hello world"}
    command: "python3 log.py {score} {note}"
  fail:
    parameters:
      code: {type: int, default: 3}
    command: "echo failing >&2; exit {code}"
  sleepy:
    parameters: {n: {type: string, default: "0"}}
    command: "sleep 300 & echo $! > child.pid; wait"
  self_close:
    command: "python3 close.py"
  window:
    parameters: {a: string, b: string}
    command: "python3 window.py {a} {b}"
`;

async function writeProject(dir: string, files: Record<string, string>): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('project runs on the local backend (all-in-one)', () => {
  let server: TestServer;
  let api: ReturnType<typeof httpClient>;
  let work: string;
  let project: string;

  const ok = async (method: string, p: string, body?: unknown) => {
    const res = await api.send(method, p, body);
    assert.equal(res.status, 200, `${method} ${p}: ${res.text}`);
    return res.json as any;
  };
  const submit = async (body: Record<string, unknown>): Promise<ProjectRun> => (await ok('POST', PR, body)).project_run;
  const refused = async (body: Record<string, unknown>, pattern: RegExp) => {
    const res = await api.post(PR, body);
    assert.equal(res.status, 400, res.text);
    assert.equal((res.json as any).error_code, 'INVALID_PARAMETER_VALUE');
    assert.match((res.json as any).message, pattern);
  };
  const until = async (runId: string, done: (r: ProjectRun) => boolean, timeoutMs = 60_000): Promise<ProjectRun> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run: ProjectRun = (await ok('GET', `${PR}/${runId}`)).project_run;
      if (done(run)) return run;
      if (Date.now() > deadline) assert.fail(`run ${runId} still ${run.status}: ${JSON.stringify(run)}`);
      await sleep(100);
    }
  };
  const ended = (runId: string, timeoutMs?: number) => until(runId, (r) => ['FINISHED', 'FAILED', 'KILLED'].includes(r.status), timeoutMs);
  const trackingRun = async (runId: string) => (await ok('GET', `/api/2.0/mlflow/runs/get?run_id=${runId}`)).run;
  const tagsOf = (run: any): Record<string, string> => Object.fromEntries((run.data.tags ?? []).map((t: any) => [t.key, t.value]));
  const paramsOf = (run: any): Record<string, string> => Object.fromEntries((run.data.params ?? []).map((t: any) => [t.key, t.value]));
  const allLogs = async (runId: string) => {
    let offset = 0;
    let text = '';
    for (;;) {
      const chunk = await ok('GET', `${PR}/${runId}/logs?offset=${offset}`);
      text += chunk.logs;
      if (chunk.next_offset === offset) return text;
      offset = chunk.next_offset;
    }
  };

  before(async () => {
    server = await startTestServer();
    api = httpClient(server.url);
    work = await mkdtemp(path.join(tmpdir(), 'cairn-projects-'));
    project = await writeProject(path.join(work, 'fixture'), { MLproject: MLPROJECT, 'log.py': LOG_PY, 'close.py': CLOSE_PY, 'window.py': WINDOW_PY });
  });
  after(async () => {
    await server?.stop();
    await rm(work, { recursive: true, force: true });
  });

  it('runs an entry point: MLflow tags, params (declared and extra), env vars, output, FINISHED on both sides', async () => {
    const submitted = await submit({ uri: project, parameters: { score: '0.75', extra: 'x y' }, experiment_name: 'projects-it', user: 'ada' });
    assert.equal(submitted.entry_point, 'main');
    assert.equal(submitted.command, "python3 log.py 0.75 'hello world' --extra 'x y'");
    const run = await ended(submitted.run_id);
    assert.equal(run.status, 'FINISHED', JSON.stringify(run));
    assert.equal(run.exit_code, 0);

    const tracked = await trackingRun(run.run_id);
    assert.equal(tracked.info.status, 'FINISHED');
    assert.ok(tracked.info.end_time > 0);
    const tags = tagsOf(tracked);
    assert.equal(tags['mlflow.source.type'], 'PROJECT');
    assert.equal(tags['mlflow.source.name'], project);
    assert.equal(tags['mlflow.project.entryPoint'], 'main');
    assert.equal(tags['mlflow.project.backend'], 'local');
    assert.equal(tags['mlflow.project.env'], 'local');
    assert.equal(tags['mlflow.user'], 'ada');
    assert.deepEqual(paramsOf(tracked), { score: '0.75', note: "'hello world'", extra: "'x y'" });
    assert.equal(tracked.data.metrics.find((m: any) => m.key === 'score').value, 0.75);

    const exp = (await ok('GET', '/api/2.0/mlflow/experiments/get-by-name?experiment_name=projects-it')).experiment;
    assert.equal(tracked.info.experiment_id, exp.experiment_id);
    const logs = await allLogs(run.run_id);
    assert.match(logs, /argv=\["0\.75", "hello world", "--extra", "x y"\]/);
    assert.match(logs, new RegExp(`experiment=${exp.experiment_id}`));
    assert.match(logs, /=== Run \(ID '[0-9a-f]{32}'\) succeeded ===/);
  });

  it('a command that exits non-zero ends FAILED with its exit code, its stderr in the logs', async () => {
    const run = await ended((await submit({ uri: project, entry_point: 'fail', parameters: { code: '7' } })).run_id);
    assert.equal(run.status, 'FAILED');
    assert.equal(run.exit_code, 7);
    assert.match(run.message ?? '', /exited with code 7/);
    assert.equal((await trackingRun(run.run_id)).info.status, 'FAILED');
    assert.match(await allLogs(run.run_id), /failing/);
  });

  it('leaves the tracking run alone when the script already ended it', async () => {
    const run = await ended((await submit({ uri: project, entry_point: 'self_close' })).run_id);
    assert.equal(run.status, 'FINISHED');
    assert.equal((await trackingRun(run.run_id)).info.status, 'KILLED');
  });

  it('cancel kills the whole process tree and ends the run KILLED', async () => {
    await rm(path.join(project, 'child.pid'), { force: true });
    const submitted = await submit({ uri: project, entry_point: 'sleepy' });
    const running = await until(submitted.run_id, (r) => r.status === 'RUNNING' && r.backend_handle !== undefined && existsSync(path.join(project, 'child.pid')));
    const pid = Number(/pid (\d+)/.exec(running.backend_handle!)![1]);
    const grandchild = Number(readFileSync(path.join(project, 'child.pid'), 'utf8').trim());
    assert.ok(alive(pid) && alive(grandchild));
    const cancelled = (await ok('POST', `${PR}/${submitted.run_id}/cancel`)).project_run;
    assert.ok(['RUNNING', 'KILLED'].includes(cancelled.status));
    const run = await ended(submitted.run_id);
    assert.equal(run.status, 'KILLED');
    assert.equal((await trackingRun(run.run_id)).info.status, 'KILLED');
    for (let i = 0; i < 50 && alive(grandchild); i++) await sleep(100);
    assert.ok(!alive(pid), 'the shell is gone');
    assert.ok(!alive(grandchild), 'the sleep it started is gone too');
    // Cancelling again is harmless and answers the final state.
    assert.equal((await ok('POST', `${PR}/${run.run_id}/cancel`)).project_run.status, 'KILLED');
  });

  it('a sweep runs the grid as child runs of one parent, never more than max_parallel at once', async () => {
    await rm(path.join(project, 'windows.log'), { force: true });
    const parent = await submit({ uri: project, entry_point: 'window', sweep: { a: ['1', '2', '3'], b: ['x', 'y'] }, max_parallel: 2, run_name: 'grid' });
    assert.equal(parent.child_run_ids?.length, 6);
    const done = await ended(parent.run_id, 120_000);
    assert.equal(done.status, 'FINISHED', JSON.stringify(done));

    const events = (await readFile(path.join(project, 'windows.log'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => l.split(' '))
      .map(([kind, t]) => ({ kind, t: Number(t) }))
      .sort((x, y) => x.t - y.t);
    let concurrent = 0;
    let peak = 0;
    for (const e of events) {
      concurrent += e.kind === 'start' ? 1 : -1;
      peak = Math.max(peak, concurrent);
    }
    assert.equal(events.length, 12);
    assert.equal(peak, 2, 'two at a time, never three');

    const parentRun = await trackingRun(parent.run_id);
    assert.equal(parentRun.info.status, 'FINISHED');
    assert.equal(parentRun.info.run_name, 'grid');
    const seen = new Set<string>();
    for (const childId of parent.child_run_ids!) {
      const child = await trackingRun(childId);
      assert.equal(tagsOf(child)['mlflow.parentRunId'], parent.run_id);
      assert.equal(child.info.status, 'FINISHED');
      const p = paramsOf(child);
      seen.add(`${p.a}${p.b}`);
      assert.equal(child.info.run_name, `a=${p.a} b=${p.b}`);
    }
    assert.deepEqual([...seen].sort(), ['1x', '1y', '2x', '2y', '3x', '3y']);
  });

  it('cancelling a sweep kills the running children and never starts the queued ones', async () => {
    const parent = await submit({ uri: project, entry_point: 'sleepy', sweep: { n: ['1', '2', '3'] }, max_parallel: 1 });
    const first = await until(parent.child_run_ids![0], (r) => r.status === 'RUNNING' && r.backend_handle !== undefined);
    assert.equal(first.command, 'sleep 300 & echo $! > child.pid; wait', 'a declared sweep parameter is not appended to the command');
    assert.ok(alive(Number(/pid (\d+)/.exec(first.backend_handle ?? '')?.[1])), 'the first child is still running when the sweep is cancelled');
    assert.equal((await trackingRun(parent.child_run_ids![2])).info.status, 'SCHEDULED', 'a queued child shows as SCHEDULED');
    await ok('POST', `${PR}/${parent.run_id}/cancel`);
    const done = await ended(parent.run_id, 30_000);
    assert.equal(done.status, 'KILLED');
    for (const id of parent.child_run_ids!) {
      const child = await ended(id);
      assert.equal(child.status, 'KILLED');
      assert.equal(child.attempts, id === parent.child_run_ids![0] ? 1 : 0);
      assert.equal((await trackingRun(id)).info.status, 'KILLED');
    }
  });

  it('runs a project from a git repository at a branch, in a subdirectory, with the git tags', async () => {
    const repo = path.join(work, 'repo.git');
    const checkout = path.join(work, 'checkout');
    const git = (cwd: string, ...args: string[]) =>
      execFileSync('git', args, { cwd, env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' } })
        .toString()
        .trim();
    await mkdir(checkout, { recursive: true });
    git(work, 'init', '--bare', '--quiet', repo);
    git(checkout, 'init', '--quiet', '-b', 'main');
    await writeProject(path.join(checkout, 'sub', 'dir'), { MLproject: MLPROJECT, 'log.py': LOG_PY });
    git(checkout, 'add', '.');
    git(checkout, 'commit', '--quiet', '-m', 'project');
    git(checkout, 'checkout', '--quiet', '-b', 'dev');
    await writeFile(path.join(checkout, 'sub', 'dir', 'log.py'), LOG_PY + '\nprint("on dev")\n');
    git(checkout, 'commit', '--quiet', '-am', 'dev change');
    const devCommit = git(checkout, 'rev-parse', 'HEAD');
    git(checkout, 'push', '--quiet', repo, 'main', 'dev');

    const url = `file://${repo}`;
    const run = await ended((await submit({ uri: `${url}#sub/dir`, version: 'dev', parameters: { score: '1' } })).run_id);
    assert.equal(run.status, 'FINISHED', JSON.stringify(run));
    assert.match(await allLogs(run.run_id), /on dev/);
    const tags = tagsOf(await trackingRun(run.run_id));
    assert.equal(tags['mlflow.source.git.commit'], devCommit);
    assert.equal(tags['mlflow.source.git.branch'], 'dev');
    assert.equal(tags['mlflow.source.git.repoURL'], url);
    assert.equal(tags['mlflow.source.name'], url);

    await refused({ uri: `${url}#sub/dir`, version: 'no-such-branch', parameters: { score: '1' } }, /Unable to checkout version 'no-such-branch'/);
    await refused({ uri: `${url}#sub/../../etc`, parameters: { score: '1' } }, /Invalid subdirectory/);
    await refused({ uri: `${url}#sub/%2e%2e/%2e%2e`, parameters: { score: '1' } }, /Invalid subdirectory/);
    await refused({ uri: `file://${work}/no-such-repo.git`, parameters: { score: '1' } }, /does not exist|Unable to fetch/);
    await refused({ uri: 'https://127.0.0.1:1/nothing.git' }, /Unable to fetch git repository/);
    await refused({ uri: 'ext::sh -c touch% /tmp/pwned' }, /Unsupported project URI scheme|Unable to fetch|absolute path/);
    assert.ok(!existsSync('/tmp/pwned'));
  });

  it('refuses bad projects and parameters with MLflow-style messages, creating no run', async () => {
    const before = (await ok('POST', '/api/2.0/mlflow/runs/search', { experiment_ids: ['0'], max_results: 1000 })).runs?.length ?? 0;
    await refused({ uri: project }, /No value given for missing parameters: 'score'/);
    await refused({ uri: project, parameters: { score: 'high' } }, /score/);
    await refused({ uri: project, entry_point: 'fail', parameters: { code: '1.5' } }, /code/);
    await refused({ uri: project, entry_point: 'nope' }, /nope/);
    await refused({ uri: 'relative/path' }, /absolute path/);
    await refused({ uri: project, version: 'main' }, /only supported for Git project URIs/);
    await refused({ uri: path.join(work, 'missing') }, /does not exist/);
    const twoEnvs = await writeProject(path.join(work, 'two-envs'), {
      MLproject: 'name: x\npython_env: python_env.yaml\nconda_env: conda.yaml\nentry_points:\n  main:\n    command: "true"\n',
    });
    await refused({ uri: twoEnvs }, /Project cannot contain multiple environment fields/);
    const res = await api.post(PR, { uri: project, backend: 'mainframe' });
    assert.equal(res.status, 400);
    const after = (await ok('POST', '/api/2.0/mlflow/runs/search', { experiment_ids: ['0'], max_results: 1000 })).runs?.length ?? 0;
    assert.equal(after, before, 'no tracking run was created for a refused submission');
    assert.equal((await api.get(`${PR}/${'0'.repeat(32)}`)).status, 404);
    assert.equal((await api.get(`${PR}/not-an-id/logs`)).status, 404);
  });

  it('builds a virtualenv from python_env.yaml once and runs the command inside it', async () => {
    const version = execFileSync('python3', ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])']).toString().trim();
    const venvProject = await writeProject(path.join(work, 'venv-project'), {
      MLproject: 'name: venv\npython_env: python_env.yaml\nentry_points:\n  main:\n    command: "python -c \'import sys; print(\\"prefix=\\" + sys.prefix)\'"\n',
      'python_env.yaml': `python: "${version}"\nbuild_dependencies: []\ndependencies: []\n`,
    });
    const first = await ended((await submit({ uri: venvProject })).run_id, 180_000);
    assert.equal(first.status, 'FINISHED', await allLogs(first.run_id));
    const logs = await allLogs(first.run_id);
    assert.match(logs, /prefix=.*\/runner\/envs\/mlflow-[0-9a-f]{40}/);
    assert.match(logs, /Creating virtualenv/);
    assert.equal(tagsOf(await trackingRun(first.run_id))['mlflow.project.env'], 'virtualenv');
    const second = await ended((await submit({ uri: venvProject })).run_id, 60_000);
    assert.match(await allLogs(second.run_id), /Reusing virtualenv/);

    const badPython = await writeProject(path.join(work, 'old-python'), {
      MLproject: 'name: old\npython_env: python_env.yaml\nentry_points:\n  main:\n    command: "python -V"\n',
      'python_env.yaml': 'python: "2.6"\n',
    });
    const failed = await ended((await submit({ uri: badPython })).run_id);
    assert.equal(failed.status, 'FAILED');
    assert.match(failed.message ?? '', /asks for Python 2\.6.*--env-manager local/);
    assert.equal((await trackingRun(failed.run_id)).info.status, 'FAILED');
    // --env-manager local skips the environment.
    const local = await ended((await submit({ uri: badPython, env_manager: 'local' })).run_id);
    assert.equal(local.status, 'FINISHED');
  });

  it('lists project runs newest first, with paging', async () => {
    const first = await ok('GET', `${PR}?max_results=2`);
    assert.equal(first.project_runs.length, 2);
    assert.ok(first.next_page_token);
    const second = await ok('GET', `${PR}?max_results=2&page_token=${first.next_page_token}`);
    assert.ok(second.project_runs[0].created_at <= first.project_runs[1].created_at);
    assert.ok(!first.project_runs.some((r: ProjectRun) => r.parent_run_id), 'sweep children are listed under their parent only');
    assert.equal((await api.get(`${PR}?page_token=garbage`)).status, 400);
  });
});
