import { z } from 'zod';
import { RUN_STATUSES } from '@cairn/contracts';
import { defineRequest, field } from '@cairn/mlflow-wire';

const STATUSES = RUN_STATUSES as unknown as readonly [string, ...string[]];
const runId = { run_id: field.string() };
const metric = z.object({
  key: field.string(),
  value: field.double(),
  timestamp: field.int64(),
  step: field.int64().optional(),
  model_id: field.string().optional(),
  dataset_name: field.string().optional(),
  dataset_digest: field.string().optional(),
});

export const CreateRun = defineRequest({
  experiment_id: field.id().optional(),
  user_id: field.string().optional(),
  run_name: field.string().optional(),
  start_time: field.int64().optional(),
  tags: field.tags().optional(),
});
export const RunId = defineRequest(runId, ['run_id']);
export const UpdateRun = defineRequest(
  { ...runId, status: field.enumOf(STATUSES).optional(), end_time: field.int64().optional(), run_name: field.string().optional() },
  ['run_id'],
);
export const SetRunTag = defineRequest({ ...runId, key: field.string(), value: field.string() }, ['run_id', 'key']);
export const DeleteRunTag = defineRequest({ ...runId, key: field.string() }, ['run_id', 'key']);
export const LogParam = defineRequest({ ...runId, key: field.string(), value: field.string() }, ['run_id', 'key']);
export const LogMetric = defineRequest(
  {
    ...runId,
    key: field.string(),
    value: field.double(),
    timestamp: field.int64(),
    step: field.int64().optional(),
    model_id: field.string().optional(),
    dataset_name: field.string().optional(),
    dataset_digest: field.string().optional(),
  },
  ['run_id', 'key', 'value', 'timestamp'],
);
export const LogBatch = defineRequest(
  { ...runId, metrics: z.array(metric).optional(), params: field.tags().optional(), tags: field.tags().optional() },
  ['run_id'],
);
export const LogModel = defineRequest({ ...runId, model_json: field.string() }, ['run_id', 'model_json']);
