import { invalidParameter } from '@cairn/contracts';

const RUN_ID = /^[0-9a-f]{32}$/;

/** Cairn's run ids are 32 lowercase hex characters (uuid4().hex, as MLflow makes them). */
export function parseRunId(runId: string | undefined): string {
  if (!runId) throw invalidParameter("Missing value for required parameter 'run_id'.");
  if (!RUN_ID.test(runId)) throw invalidParameter(`Invalid run ID: '${runId.slice(0, 100)}'. A run ID is 32 lowercase hex characters.`);
  return runId;
}
