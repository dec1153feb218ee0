import { readClientTrackingUri } from '@cairn/config';
import { CairnClient } from '../client/cairn-client';
import { followLogs } from './run.command';

export interface RunsFlags {
  trackingUri?: string;
  follow?: boolean;
}

/** `cairn runs status <id>`: the project run as JSON. */
export async function runsStatusCommand(runId: string, flags: RunsFlags): Promise<number> {
  const run = await new CairnClient(readClientTrackingUri(flags.trackingUri)).get(runId);
  process.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
  return 0;
}

/** `cairn runs logs <id> [-f]`: the run's output (a process's, or its Kubernetes pod's). */
export async function runsLogsCommand(runId: string, flags: RunsFlags): Promise<number> {
  const client = new CairnClient(readClientTrackingUri(flags.trackingUri));
  if (flags.follow) {
    await followLogs(client, runId, process.stdout);
    return 0;
  }
  let offset = 0;
  for (;;) {
    const chunk = await client.logs(runId, offset);
    process.stdout.write(chunk.logs);
    if (!chunk.logs || chunk.next_offset === offset) return 0;
    offset = chunk.next_offset;
  }
}

/** `cairn runs cancel <id>`: stops the process tree or deletes the Job; the run ends KILLED. */
export async function runsCancelCommand(runId: string, flags: RunsFlags): Promise<number> {
  const run = await new CairnClient(readClientTrackingUri(flags.trackingUri)).cancel(runId);
  process.stderr.write(`Run ${run.run_id}: ${run.status}${run.message ? ` (${run.message})` : ''}\n`);
  return 0;
}

/** `cairn runs list`: the newest project runs. */
export async function runsListCommand(flags: RunsFlags): Promise<number> {
  const { project_runs: runs } = await new CairnClient(readClientTrackingUri(flags.trackingUri)).list();
  for (const r of runs) {
    process.stdout.write(`${r.run_id}  ${r.status.padEnd(8)}  ${r.backend.padEnd(10)}  ${new Date(r.created_at).toISOString()}  ${r.uri}\n`);
  }
  return 0;
}
