import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Pool } from 'pg';
import { upgradeSchema } from '@cairn/nest-common';
import type { TestDatabase } from '@cairn/testing';
import { createTestDatabase } from '@cairn/testing';
import { runnerSchema } from '../migrations';
import type { NewProjectRun } from './project-runs.repository';
import { ProjectRunsRepository } from './project-runs.repository';

const id = (n: number) => n.toString(16).padStart(32, '0');

/** A sweep: a parent (no command of its own) and `n` queued children. */
function sweep(parent: number, n: number): NewProjectRun[] {
  const base = { experimentId: '0', backend: 'local' as const, uri: '/p', version: null, entryPoint: 'main', launchSpec: null };
  return [
    { ...base, runId: id(parent), parentRunId: null, status: 'RUNNING', parameters: {}, command: null, maxParallel: 1, gridIndex: null },
    ...Array.from({ length: n }, (_, i) => ({
      ...base,
      runId: id(parent + 1 + i),
      parentRunId: id(parent),
      status: 'QUEUED' as const,
      parameters: { i: String(i) },
      command: `echo ${i}`,
      maxParallel: null,
      gridIndex: i,
    })),
  ];
}

describe('project runs repository (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let repo: ProjectRunsRepository;

  before(async () => {
    db = await createTestDatabase();
    pool = new Pool({ connectionString: db.url, max: 2 });
    await upgradeSchema(pool, runnerSchema);
    repo = new ProjectRunsRepository(pool);
  });
  after(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('claims a queued child once', async () => {
    await repo.insertMany(sweep(0x100, 1), Date.now());
    assert.equal(await repo.claim(id(0x101), Date.now()), true);
    assert.equal(await repo.claim(id(0x101), Date.now()), false, 'already RUNNING');
    assert.equal((await repo.get(id(0x101)))?.attempts, 1);
  });

  // The cancel of a sweep marks the parent first, then kills its running child. That child's end
  // moves the queue on: before this, the next child was claimed (attempts 1, a process started)
  // in the moment before the cancel reached it.
  it('never claims a child of a sweep whose cancel was requested, even before the cancel reached the child', async () => {
    await repo.insertMany(sweep(0x200, 2), Date.now());
    await repo.requestCancel(id(0x200));
    assert.equal(await repo.claim(id(0x201), Date.now()), false);
    const child = await repo.get(id(0x201));
    assert.equal(child?.status, 'QUEUED');
    assert.equal(child?.attempts, 0);
  });
});
