import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { ProjectRun, ProjectRunBackend, ProjectRunStatus } from '@cairn/contracts';
import { PG_POOL } from '@cairn/nest-common';
import type { BackendHandle, LaunchSpec } from '../backends/backend';
import { describeHandle } from '../backends/backend';

/** A row of runner.project_runs, as the service works with it. */
export interface ProjectRunRecord {
  runId: string;
  parentRunId: string | null;
  experimentId: string;
  status: ProjectRunStatus;
  backend: ProjectRunBackend;
  uri: string;
  version: string | null;
  entryPoint: string;
  parameters: Record<string, string>;
  command: string | null;
  launchSpec: LaunchSpec | null;
  handle: BackendHandle | null;
  exitCode: number | null;
  message: string | null;
  maxParallel: number | null;
  gridIndex: number | null;
  attempts: number;
  cancelRequested: boolean;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

export type NewProjectRun = Pick<
  ProjectRunRecord,
  'runId' | 'parentRunId' | 'experimentId' | 'status' | 'backend' | 'uri' | 'version' | 'entryPoint' | 'parameters' | 'command' | 'launchSpec' | 'maxParallel' | 'gridIndex'
>;

interface Row {
  run_id: string;
  parent_run_id: string | null;
  experiment_id: string;
  status: ProjectRunStatus;
  backend: ProjectRunBackend;
  uri: string;
  version: string | null;
  entry_point: string;
  parameters: Record<string, string>;
  command: string | null;
  launch_spec: LaunchSpec | null;
  backend_handle: BackendHandle | null;
  exit_code: number | null;
  message: string | null;
  max_parallel: number | null;
  grid_index: number | null;
  attempts: number;
  cancel_requested: boolean;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

const num = (v: string | null) => (v === null ? null : Number(v));

const toRecord = (r: Row): ProjectRunRecord => ({
  runId: r.run_id,
  parentRunId: r.parent_run_id,
  experimentId: r.experiment_id,
  status: r.status,
  backend: r.backend,
  uri: r.uri,
  version: r.version,
  entryPoint: r.entry_point,
  parameters: r.parameters,
  command: r.command,
  launchSpec: r.launch_spec,
  handle: r.backend_handle,
  exitCode: r.exit_code,
  message: r.message,
  maxParallel: r.max_parallel,
  gridIndex: r.grid_index,
  attempts: r.attempts,
  cancelRequested: r.cancel_requested,
  createdAt: Number(r.created_at),
  startedAt: num(r.started_at),
  finishedAt: num(r.finished_at),
});

/** The wire shape; children are listed for a sweep's parent. */
export function toProjectRun(r: ProjectRunRecord, childRunIds?: string[]): ProjectRun {
  return {
    run_id: r.runId,
    ...(r.parentRunId && { parent_run_id: r.parentRunId }),
    experiment_id: r.experimentId,
    status: r.status,
    backend: r.backend,
    uri: r.uri,
    ...(r.version && { version: r.version }),
    entry_point: r.entryPoint,
    parameters: r.parameters,
    ...(r.command && { command: r.command }),
    ...(r.exitCode !== null && { exit_code: r.exitCode }),
    ...(r.message && { message: r.message }),
    ...(childRunIds && { child_run_ids: childRunIds }),
    ...(r.handle && { backend_handle: describeHandle(r.handle) }),
    attempts: r.attempts,
    created_at: r.createdAt,
    ...(r.startedAt !== null && { started_at: r.startedAt }),
    ...(r.finishedAt !== null && { finished_at: r.finishedAt }),
  };
}

@Injectable()
export class ProjectRunsRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async insertMany(runs: NewProjectRun[], now: number): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      for (const r of runs) {
        await client.query(
          `INSERT INTO runner.project_runs (run_id, parent_run_id, experiment_id, status, backend, uri, version, entry_point,
             parameters, command, launch_spec, max_parallel, grid_index, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
          [r.runId, r.parentRunId, r.experimentId, r.status, r.backend, r.uri, r.version, r.entryPoint,
            JSON.stringify(r.parameters), r.command, r.launchSpec && JSON.stringify(r.launchSpec), r.maxParallel, r.gridIndex, now],
        );
      }
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK');
      throw e;
    } finally {
      client.release();
    }
  }

  async get(runId: string): Promise<ProjectRunRecord | null> {
    const { rows } = await this.pool.query<Row>('SELECT * FROM runner.project_runs WHERE run_id = $1', [runId]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async children(parentRunId: string): Promise<ProjectRunRecord[]> {
    const { rows } = await this.pool.query<Row>(
      'SELECT * FROM runner.project_runs WHERE parent_run_id = $1 ORDER BY grid_index',
      [parentRunId],
    );
    return rows.map(toRecord);
  }

  /** Runs that are not over: what a (re)started runner must drive or re-attach to. */
  async active(): Promise<ProjectRunRecord[]> {
    const { rows } = await this.pool.query<Row>(
      "SELECT * FROM runner.project_runs WHERE status IN ('QUEUED', 'RUNNING') ORDER BY created_at, grid_index NULLS FIRST",
    );
    return rows.map(toRecord);
  }

  async list(limit: number, after?: { createdAt: number; runId: string }): Promise<ProjectRunRecord[]> {
    const { rows } = after
      ? await this.pool.query<Row>(
          `SELECT * FROM runner.project_runs WHERE parent_run_id IS NULL AND (created_at, run_id) < ($1, $2)
           ORDER BY created_at DESC, run_id DESC LIMIT $3`,
          [after.createdAt, after.runId, limit],
        )
      : await this.pool.query<Row>(
          'SELECT * FROM runner.project_runs WHERE parent_run_id IS NULL ORDER BY created_at DESC, run_id DESC LIMIT $1',
          [limit],
        );
    return rows.map(toRecord);
  }

  /**
   * QUEUED → RUNNING, once: false when another worker got there first, or a cancel was asked
   * for the run or its sweep (the sweep's cancel may not have reached this child yet).
   */
  async claim(runId: string, now: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE runner.project_runs r SET status = 'RUNNING', started_at = $2, attempts = r.attempts + 1
       WHERE r.run_id = $1 AND r.status = 'QUEUED' AND NOT r.cancel_requested
         AND NOT EXISTS (SELECT 1 FROM runner.project_runs p WHERE p.run_id = r.parent_run_id AND p.cancel_requested)`,
      [runId, now],
    );
    return rowCount === 1;
  }

  /** Back to the queue (it died before its backend accepted it); the next claim counts another attempt. */
  async requeue(runId: string): Promise<void> {
    await this.pool.query("UPDATE runner.project_runs SET status = 'QUEUED', started_at = NULL WHERE run_id = $1 AND status = 'RUNNING'", [runId]);
  }

  async setHandle(runId: string, handle: BackendHandle, message: string | null): Promise<void> {
    await this.pool.query('UPDATE runner.project_runs SET backend_handle = $2, message = $3 WHERE run_id = $1', [
      runId,
      JSON.stringify(handle),
      message,
    ]);
  }

  async setMessage(runId: string, message: string | null): Promise<void> {
    await this.pool.query('UPDATE runner.project_runs SET message = $2 WHERE run_id = $1', [runId, message]);
  }

  async requestCancel(runId: string): Promise<void> {
    await this.pool.query('UPDATE runner.project_runs SET cancel_requested = true WHERE run_id = $1', [runId]);
  }

  /** Records the end; false when the run had already ended (the first outcome wins). */
  async finish(runId: string, status: ProjectRunStatus, exitCode: number | null, message: string | null, now: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE runner.project_runs SET status = $2, exit_code = $3, message = $4, finished_at = $5
       WHERE run_id = $1 AND status IN ('QUEUED', 'RUNNING')`,
      [runId, status, exitCode, message, now],
    );
    return rowCount === 1;
  }
}
