import { defineRequest, field } from '@cairn/mlflow-wire';

export const GetMetricHistory = defineRequest(
  {
    run_id: field.string(),
    metric_key: field.string(),
    page_token: field.string().optional(),
    max_results: field.int64().optional(),
  },
  ['run_id', 'metric_key'],
);
/** Not a proto message: MLflow's handler reads `run_id` (repeated) and checks every field itself. */
export const GetMetricHistoryBulk = defineRequest({
  run_ids: field.repeated(field.string()).optional(),
  metric_key: field.string().optional(),
  max_results: field.int64().optional(),
});
export const GetMetricHistoryBulkInterval = defineRequest(
  {
    run_ids: field.repeated(field.string()),
    metric_key: field.string(),
    start_step: field.int64().optional(),
    end_step: field.int64().optional(),
    max_results: field.int64().optional(),
  },
  ['run_ids', 'metric_key'],
);
