import type { Migration } from '@cairn/nest-common';

/**
 * One row per run the runner owns (a sweep's parent included). The backend handle is persisted
 * as soon as the backend accepts the run, so a restarted runner re-attaches and misses no end.
 */
export const projectRunsMigration: Migration = {
  version: 2,
  name: 'project-runs',
  sql: `
CREATE TABLE runner.project_runs (
  run_id          text PRIMARY KEY,
  parent_run_id   text REFERENCES runner.project_runs (run_id),
  experiment_id   text NOT NULL,
  status          text NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'FINISHED', 'FAILED', 'KILLED')),
  backend         text NOT NULL CHECK (backend IN ('local', 'kubernetes')),
  uri             text NOT NULL,
  version         text,
  entry_point     text NOT NULL,
  parameters      jsonb NOT NULL DEFAULT '{}',
  command         text,
  launch_spec     jsonb,
  backend_handle  jsonb,
  exit_code       integer,
  message         text,
  max_parallel    integer,
  grid_index      integer,
  attempts        integer NOT NULL DEFAULT 0,
  cancel_requested boolean NOT NULL DEFAULT false,
  created_at      bigint NOT NULL,
  started_at      bigint,
  finished_at     bigint
);
CREATE INDEX project_runs_parent ON runner.project_runs (parent_run_id, grid_index) WHERE parent_run_id IS NOT NULL;
CREATE INDEX project_runs_active ON runner.project_runs (status) WHERE status IN ('QUEUED', 'RUNNING');
CREATE INDEX project_runs_created ON runner.project_runs (created_at DESC, run_id DESC);
`,
};
