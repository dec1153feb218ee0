import type { ViewType } from './experiment';
import type { DatasetInput, LoggedMetric, Metric, MetricWithRunId, ModelInput, ModelOutput, Param, Run, RunInfo, RunStatus, RunTag } from './run';

export interface CreateRunRequest {
  experiment_id?: string;
  user_id?: string;
  run_name?: string;
  start_time?: number;
  tags?: RunTag[];
}
export interface RunResponse {
  run: Run;
}

/** `run_id`, or the deprecated `run_uuid` that older clients send: the gateway folds both into `run_id`. */
export interface RunIdRequest {
  run_id: string;
}
export interface UpdateRunRequest extends RunIdRequest {
  status?: RunStatus;
  end_time?: number;
  run_name?: string;
}
export interface UpdateRunResponse {
  run_info: RunInfo;
}
export interface SetRunTagRequest extends RunIdRequest {
  key: string;
  value: string;
}
export interface DeleteRunTagRequest extends RunIdRequest {
  key: string;
}
export interface LogParamRequest extends RunIdRequest {
  key: string;
  value: string;
}
export interface LogMetricRequest extends RunIdRequest {
  key: string;
  value: Metric['value'];
  timestamp: number;
  step?: number;
  model_id?: string;
  dataset_name?: string;
  dataset_digest?: string;
}
export interface LogBatchRequest extends RunIdRequest {
  metrics?: LoggedMetric[];
  params?: Param[];
  tags?: RunTag[];
}
export interface LogInputsRequest extends RunIdRequest {
  datasets?: DatasetInput[];
  models?: ModelInput[];
}
export interface LogOutputsRequest extends RunIdRequest {
  models: ModelOutput[];
}
export interface LogModelRequest extends RunIdRequest {
  model_json: string;
}

export interface SearchRunsRequest {
  experiment_ids?: string[];
  filter?: string;
  run_view_type?: ViewType;
  max_results?: number;
  order_by?: string[];
  page_token?: string;
}
export interface SearchRunsResponse {
  runs: Run[];
  next_page_token?: string;
}

export interface GetMetricHistoryRequest extends RunIdRequest {
  metric_key: string;
  max_results?: number;
  page_token?: string;
}
/**
 * A page of one metric's history, in history order (timestamp, step, value), as three columns:
 * each field's values as PostgreSQL writes them (int64 in full; doubles in shortest round-trip
 * form, or `NaN`, `Infinity`, `-Infinity`), comma-separated, empty for no points. A 25,000-point
 * page crosses the transport as three strings rather than 25,000 objects, and no number is
 * parsed or printed again on the way: the gateway writes MLflow's JSON from the text.
 */
export interface MetricHistoryColumns {
  timestamps: string;
  steps: string;
  values: string;
}
export interface GetMetricHistoryResponse {
  points: MetricHistoryColumns;
  next_page_token?: string;
}
export interface GetMetricHistoryBulkIntervalRequest {
  run_ids: string[];
  metric_key: string;
  start_step?: number;
  end_step?: number;
  max_results?: number;
}
/** Checked by tracking-svc, not the gateway, so that a missing field gets MLflow's own message for this route. */
export interface GetMetricHistoryBulkRequest {
  run_ids?: string[];
  metric_key?: string;
  max_results?: number;
}
export interface MetricsWithRunIdResponse {
  metrics: MetricWithRunId[];
}

export interface SearchDatasetsRequest {
  experiment_ids: string[];
}
export interface DatasetSummary {
  experiment_id: string;
  name: string;
  digest: string;
  context?: string;
}
export interface SearchDatasetsResponse {
  dataset_summaries: DatasetSummary[];
}
