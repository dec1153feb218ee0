import { invalidParameter } from '@cairn/contracts';

/** The largest history page; MLflow's client asks for exactly this many and follows the token. */
export const MAX_HISTORY_PAGE = 25_000;
/** get-history-bulk (MLflow's `MAX_HISTORY_RESULTS`, `MAX_RUN_IDS_PER_REQUEST`). */
export const MAX_BULK_RESULTS = 25_000;
export const MAX_BULK_RUNS = 100;
/** get-history-bulk-interval (MLflow's `MAX_RUNS_GET_METRIC_HISTORY_BULK`, `MAX_RESULTS_PER_RUN`). */
export const MAX_INTERVAL_RUNS = 100;
export const MAX_INTERVAL_STEPS = 2_500;

const API_DOCS = 'See the API docs for more information about request parameters.';

/**
 * get-history's page size: absent means the whole history in one response (the proto's
 * documented meaning). A server "may restrict the value of max_results", so a larger page is
 * cut to 25,000 and the rest follows behind next_page_token.
 */
export function historyPageSize(maxResults: number | undefined): number | undefined {
  if (maxResults === undefined) return undefined;
  if (!Number.isInteger(maxResults) || maxResults < 1) {
    throw invalidParameter(`Invalid value ${maxResults} for parameter 'max_results' supplied. It must be a positive integer`);
  }
  return Math.min(maxResults, MAX_HISTORY_PAGE);
}

/** get-history-bulk's checks, in MLflow's order and words. */
export function validateBulkRequest(runIds: readonly string[] | undefined, metricKey: string | undefined, maxResults: number | undefined) {
  if (!runIds || runIds.length === 0) throw invalidParameter('GetMetricHistoryBulk request must specify at least one run_id.');
  if (runIds.length > MAX_BULK_RUNS) {
    throw invalidParameter(
      `GetMetricHistoryBulk request cannot specify more than ${MAX_BULK_RUNS} run_ids. Received ${runIds.length} run_ids.`,
    );
  }
  if (metricKey === undefined) throw invalidParameter('GetMetricHistoryBulk request must specify a metric_key.');
  if (maxResults !== undefined && (!Number.isInteger(maxResults) || maxResults < 1)) {
    throw invalidParameter(`Invalid value ${maxResults} for parameter 'max_results' supplied. It must be a positive integer`);
  }
  return { runIds, metricKey, limit: Math.min(maxResults ?? MAX_BULK_RESULTS, MAX_BULK_RESULTS) };
}

/** get-history-bulk-interval's checks, in MLflow's order and words. */
export function validateIntervalRequest(req: { run_ids: readonly string[]; start_step?: number; end_step?: number; max_results?: number }) {
  if (req.run_ids.length > MAX_INTERVAL_RUNS) {
    throw invalidParameter(
      `GetMetricHistoryBulkInterval request must specify at most ${MAX_INTERVAL_RUNS} run_ids. ` +
        `Received ${req.run_ids.length} run_ids. ${API_DOCS}`,
    );
  }
  const maxResults = req.max_results ?? MAX_INTERVAL_STEPS;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_INTERVAL_STEPS) {
    throw invalidParameter(`max_results must be between 1 and ${MAX_INTERVAL_STEPS}. ${API_DOCS}`);
  }
  const { start_step: start, end_step: end } = req;
  if (start !== undefined && end !== undefined) {
    if (start > end) {
      throw invalidParameter(`end_step must be greater than start_step. Found start_step=${start} and end_step=${end}.`);
    }
  } else if (start !== undefined || end !== undefined) {
    throw invalidParameter('If either start step or end step are specified, both must be specified.');
  }
  return { maxResults, start, end };
}
