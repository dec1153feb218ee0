import { z } from 'zod';
import { LOGGED_MODEL_STATUSES } from '@cairn/contracts';
import { defineRequest, field } from '@cairn/mlflow-wire';

// LoggedModelStatus: 1 PENDING, 2 READY, 3 UPLOAD_FAILED (0 is UNSPECIFIED, which no request may carry).
const STATUSES = LOGGED_MODEL_STATUSES as unknown as readonly [string, ...string[]];
const modelId = { model_id: field.string() };

export const CreateLoggedModel = defineRequest(
  {
    experiment_id: field.id(),
    name: field.string().optional(),
    model_type: field.string().optional(),
    source_run_id: field.string().optional(),
    params: field.tags().optional(),
    tags: field.tags().optional(),
  },
  ['experiment_id'],
);
export const GetLoggedModel = defineRequest({ ...modelId, allow_deleted: field.bool().optional() }, ['model_id']);
export const LoggedModelId = defineRequest(modelId, ['model_id']);
export const FinalizeLoggedModel = defineRequest({ ...modelId, status: field.enumOf(STATUSES) }, ['model_id', 'status']);
export const SetLoggedModelTags = defineRequest({ ...modelId, tags: field.tags().optional() }, ['model_id']);
export const DeleteLoggedModelTag = defineRequest({ ...modelId, tag_key: field.string() }, ['model_id', 'tag_key']);
export const LogLoggedModelParams = defineRequest({ ...modelId, params: field.tags().optional() }, ['model_id']);
export const SearchLoggedModels = defineRequest(
  {
    experiment_ids: z.array(field.id()),
    filter: field.string().optional(),
    datasets: z.array(z.object({ dataset_name: field.string().optional(), dataset_digest: field.string().optional() })).optional(),
    max_results: field.int64().optional(),
    order_by: z
      .array(
        z.object({
          field_name: field.string().optional(),
          ascending: field.bool().optional(),
          dataset_name: field.string().optional(),
          dataset_digest: field.string().optional(),
        }),
      )
      .optional(),
    page_token: field.string().optional(),
  },
  ['experiment_ids'],
);
