import { defineRequest, field } from '@cairn/mlflow-wire';

const VIEW_TYPES = ['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL'] as const;

/** MLflow's handler refuses more than this before the store sees the request. */
const MAX_RESULTS_THRESHOLD = 50_000;

export const SearchRuns = defineRequest({
  experiment_ids: field.repeated(field.id()).optional(),
  filter: field.string().optional(),
  run_view_type: field.enumOf(VIEW_TYPES).optional(),
  max_results: field
    .int64()
    .refine((n) => n <= MAX_RESULTS_THRESHOLD)
    .optional(),
  order_by: field.repeated(field.string()).optional(),
  page_token: field.string().optional(),
});
