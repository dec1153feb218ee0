import { defineRequest, field } from '@cairn/mlflow-wire';

const VIEW_TYPES = ['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL'] as const;

export const CreateExperiment = defineRequest(
  { name: field.string(), artifact_location: field.string().optional(), tags: field.tags().optional() },
  ['name'],
);
export const GetExperiment = defineRequest({ experiment_id: field.id() }, ['experiment_id']);
export const GetExperimentByName = defineRequest({ experiment_name: field.string() }, ['experiment_name']);
export const SearchExperiments = defineRequest({
  max_results: field.int64().optional(),
  page_token: field.string().optional(),
  filter: field.string().optional(),
  order_by: field.repeated(field.string()).optional(),
  view_type: field.enumOf(VIEW_TYPES).optional(),
});
export const UpdateExperiment = defineRequest({ experiment_id: field.id(), new_name: field.string() }, [
  'experiment_id',
  'new_name',
]);
export const ExperimentId = defineRequest({ experiment_id: field.id() }, ['experiment_id']);
export const SetExperimentTag = defineRequest({ experiment_id: field.id(), key: field.string(), value: field.string() }, [
  'experiment_id',
  'key',
  'value',
]);
export const DeleteExperimentTag = defineRequest({ experiment_id: field.id(), key: field.string() }, ['experiment_id', 'key']);
