import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { ServerConfig } from '@cairn/config';
import type { ProjectRun } from '@cairn/contracts';
import { JsonLogger } from '@cairn/nest-common';
import type { TestDatabase } from '@cairn/testing';
import { createTestDatabase, httpClient } from '@cairn/testing';
import { AllInOneServer } from './all-in-one.server';
import { testServerConfig } from './test-server';

// A runner that stops while its runs go on re-attaches when it starts again: the running process's
// end (and exit code) is still recorded, and a sweep's queued children still start.
describe('project runs survive a runner restart', () => {
  let database: TestDatabase;
  let home: string;
  let project: string;
  let config: ServerConfig;

  before(async () => {
    database = await createTestDatabase();
    home = await mkdtemp(path.join(tmpdir(), 'cairn-home-'));
    project = path.join(home, 'project');
    await mkdir(project);
    await writeFile(
      path.join(project, 'MLproject'),
      'name: restart\nentry_points:\n  main:\n    parameters: {n: {type: string, default: "0"}}\n    command: "sleep 3; echo slept {n}; exit 4"\n',
    );
    config = testServerConfig(home, database.url);
  });
  after(async () => {
    await database?.drop();
    await rm(home, { recursive: true, force: true });
  });

  const start = async () => {
    const server = new AllInOneServer(config, new JsonLogger('test', 'error'));
    const url = await server.start();
    return { server, api: httpClient(url) };
  };
  const get = async (api: ReturnType<typeof httpClient>, id: string): Promise<ProjectRun> => (await api.get(`/api/cairn/v1/project-runs/${id}`)).json.project_run;

  it('records the exit of a process that ended while the runner was down, then starts the queued sweep runs', async () => {
    let { server, api } = await start();
    const res = await api.post('/api/cairn/v1/project-runs', { uri: project, sweep: { n: ['a', 'b'] }, max_parallel: 1 });
    assert.equal(res.status, 200, res.text);
    const parent: ProjectRun = res.json.project_run;
    const [first, second] = parent.child_run_ids!;
    for (let i = 0; i < 100 && !(await get(api, first)).backend_handle; i++) await sleep(100);
    assert.ok((await get(api, first)).backend_handle, 'the first child started');
    await server.stop();

    await sleep(4000); // the process ends (exit 4) while no runner watches
    ({ server, api } = await start());
    try {
      const settle = async (id: string, tries: number) => {
        let run = await get(api, id);
        for (let i = 0; i < tries && ['QUEUED', 'RUNNING'].includes(run.status); i++) {
          await sleep(100);
          run = await get(api, id);
        }
        return run;
      };
      const run = await settle(first, 100);
      assert.equal(run.status, 'FAILED');
      assert.equal(run.exit_code, 4, 'the exit code recorded by the process survives the restart');
      const tracked = (await api.get(`/api/2.0/mlflow/runs/get?run_id=${first}`)).json.run;
      assert.equal(tracked.info.status, 'FAILED');

      const next = await settle(second, 200);
      assert.equal(next.status, 'FAILED');
      assert.equal(next.exit_code, 4);
      assert.match((await api.get(`/api/cairn/v1/project-runs/${second}/logs`)).json.logs, /slept b/);
      const top = await settle(parent.run_id, 50);
      assert.equal(top.status, 'FAILED');
      assert.match(top.message ?? '', /2 of 2 runs failed/);
    } finally {
      await server.stop();
    }
  });
});
