import { userInfo } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EnvManager, KubernetesBackendConfig, ProjectRun, ProjectRunBackend } from '@cairn/contracts';
import { TERMINAL_PROJECT_RUN_STATUSES } from '@cairn/contracts';
import { readClientTrackingUri } from '@cairn/config';
import { CairnClient } from '../client/cairn-client';
import { resolveProjectUri } from './run-options';

export interface RunFlags {
  entryPoint?: string;
  version?: string;
  paramList?: Record<string, string>;
  experimentName?: string;
  experimentId?: string;
  runName?: string;
  backend?: ProjectRunBackend;
  backendConfig?: KubernetesBackendConfig;
  envManager?: EnvManager;
  sweep?: Record<string, string[]>;
  parallel?: number;
  trackingUri?: string;
  detach?: boolean;
}

const POLL_MS = 500;
const done = (r: ProjectRun) => TERMINAL_PROJECT_RUN_STATUSES.includes(r.status);
const say = (line: string) => process.stderr.write(`${line}\n`);

/** The process exit code for a finished run: the script's own when it failed with one. */
export function exitCodeFor(run: ProjectRun): number {
  if (run.status === 'FINISHED') return 0;
  if (run.status === 'KILLED') return 130;
  return run.exit_code && run.exit_code > 0 && run.exit_code < 256 ? run.exit_code : 1;
}

/** `cairn run`: submit an MLproject run to the Cairn at the tracking URI, then follow it to its end. */
export async function runCommand(uri: string, flags: RunFlags): Promise<number> {
  const client = new CairnClient(readClientTrackingUri(flags.trackingUri));
  const run = await client.submit({
    uri: resolveProjectUri(uri),
    ...(flags.version && { version: flags.version }),
    entry_point: flags.entryPoint ?? 'main',
    parameters: flags.paramList ?? {},
    ...(flags.experimentName && { experiment_name: flags.experimentName }),
    ...(flags.experimentId && { experiment_id: flags.experimentId }),
    ...(flags.runName && { run_name: flags.runName }),
    backend: flags.backend ?? 'local',
    ...(flags.backendConfig && { backend_config: flags.backendConfig }),
    ...(flags.envManager && { env_manager: flags.envManager }),
    ...(flags.sweep && { sweep: flags.sweep }),
    ...(flags.parallel && { max_parallel: flags.parallel }),
    user: userInfo().username,
  });
  const sweep = run.child_run_ids !== undefined;
  say(
    sweep
      ? `=== Sweep ${run.run_id}: ${run.child_run_ids!.length} runs, at most ${flags.parallel ?? 1} at a time, experiment ${run.experiment_id} ===`
      : `=== Run ${run.run_id} submitted (${run.backend}, experiment ${run.experiment_id}) ===`,
  );
  if (flags.detach) {
    process.stdout.write(`${run.run_id}\n`);
    return 0;
  }
  const final = await followWithInterrupt(client, run.run_id, sweep);
  say(`=== Run ${final.run_id} ${final.status}${final.message ? `: ${final.message}` : ''} ===`);
  return exitCodeFor(final);
}

/** Follows a run; the first Ctrl-C cancels it (and keeps following until it ends), the second exits. */
async function followWithInterrupt(client: CairnClient, runId: string, sweep: boolean): Promise<ProjectRun> {
  let interrupts = 0;
  const onSigint = () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    say(`=== Interrupted: cancelling run ${runId} (Ctrl-C again to stop following) ===`);
    client.cancel(runId).catch((e: Error) => say(`cancel failed: ${e.message}`));
  };
  process.on('SIGINT', onSigint);
  try {
    return sweep ? await followSweep(client, runId) : await followLogs(client, runId, process.stdout);
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** Streams a run's output until it has ended and every byte is shown. */
export async function followLogs(client: CairnClient, runId: string, out: NodeJS.WritableStream): Promise<ProjectRun> {
  let offset = 0;
  for (;;) {
    const chunk = await client.logs(runId, offset);
    if (chunk.logs) out.write(chunk.logs);
    offset = chunk.next_offset;
    if (chunk.complete) return client.get(runId);
    if (!chunk.logs) await sleep(POLL_MS);
  }
}

async function followSweep(client: CairnClient, parentId: string): Promise<ProjectRun> {
  const seen = new Map<string, string>();
  for (;;) {
    const parent = await client.get(parentId);
    for (const childId of parent.child_run_ids ?? []) {
      const child = await client.get(childId);
      if (seen.get(childId) === child.status) continue;
      seen.set(childId, child.status);
      const params = Object.entries(child.parameters)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');
      say(`  ${childId} ${child.status.padEnd(8)} ${params}${done(child) && child.message ? ` — ${child.message}` : ''}`);
    }
    if (done(parent)) return parent;
    await sleep(POLL_MS * 2);
  }
}
