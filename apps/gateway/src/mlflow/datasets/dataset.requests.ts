import { z } from 'zod';
import { defineRequest, field } from '@cairn/mlflow-wire';

const inputTag = z.object({ key: field.string(), value: field.string() });
const dataset = z.object({
  name: field.string(),
  digest: field.string(),
  source_type: field.string(),
  source: field.string(),
  schema: field.string().optional(),
  profile: field.string().optional(),
});
const datasetInput = z.object({ tags: z.array(inputTag).optional(), dataset });

export const LogInputs = defineRequest(
  {
    run_id: field.string(),
    datasets: z.array(datasetInput).optional(),
    models: z.array(z.object({ model_id: field.string() })).optional(),
  },
  ['run_id'],
);
export const LogOutputs = defineRequest(
  {
    run_id: field.string(),
    models: z.array(z.object({ model_id: field.string(), step: field.int64().optional() })),
  },
  ['run_id', 'models'],
);
export const SearchDatasets = defineRequest({ experiment_ids: z.array(field.id()).optional() });
