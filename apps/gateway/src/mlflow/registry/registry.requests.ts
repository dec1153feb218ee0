import { defineRequest, field } from '@cairn/mlflow-wire';

// MLflow's model registry messages (model_registry.proto) and the fields its handlers require.
// Versions are strings on the wire; a JSON number is accepted too.

const search = {
  filter: field.string().optional(),
  max_results: field.int64().optional(),
  order_by: field.repeated(field.string()).optional(),
  page_token: field.string().optional(),
};

export const CreateRegisteredModel = defineRequest(
  { name: field.string(), tags: field.tags().optional(), description: field.string().optional() },
  ['name'],
);
export const RegisteredModelName = defineRequest({ name: field.string() }, ['name']);
export const RenameRegisteredModel = defineRequest({ name: field.string(), new_name: field.string() }, ['name', 'new_name']);
export const UpdateRegisteredModel = defineRequest({ name: field.string(), description: field.string().optional() }, ['name']);
export const SearchRegisteredModels = defineRequest(search);
export const GetLatestVersions = defineRequest({ name: field.string(), stages: field.repeated(field.string()).optional() }, ['name']);
export const SetRegisteredModelTag = defineRequest(
  { name: field.string(), key: field.string(), value: field.string().optional() },
  ['name', 'key'],
);
export const DeleteRegisteredModelTag = defineRequest({ name: field.string(), key: field.string() }, ['name', 'key']);
export const SetAlias = defineRequest({ name: field.string(), alias: field.string(), version: field.id() }, [
  'name',
  'alias',
  'version',
]);
export const ModelAlias = defineRequest({ name: field.string(), alias: field.string() }, ['name', 'alias']);

export const CreateModelVersion = defineRequest(
  {
    name: field.string(),
    source: field.string(),
    run_id: field.string().optional(),
    tags: field.tags().optional(),
    run_link: field.string().optional(),
    description: field.string().optional(),
    model_id: field.string().optional(),
  },
  ['name', 'source'],
);
export const ModelVersionId = defineRequest({ name: field.string(), version: field.id() }, ['name', 'version']);
/** MLflow's get-download-uri handler has no schema: its store reports what is missing. */
export const DownloadUri = defineRequest({ name: field.string().optional(), version: field.id().optional() });
export const UpdateModelVersion = defineRequest(
  { name: field.string(), version: field.id(), description: field.string().optional() },
  ['name', 'version'],
);
export const TransitionStage = defineRequest(
  { name: field.string(), version: field.id(), stage: field.string(), archive_existing_versions: field.bool().optional() },
  ['name', 'version', 'stage'],
);
export const SearchModelVersions = defineRequest(search);
export const SetModelVersionTag = defineRequest(
  { name: field.string(), version: field.id(), key: field.string(), value: field.string().optional() },
  ['name', 'version', 'key'],
);
export const DeleteModelVersionTag = defineRequest({ name: field.string(), version: field.id(), key: field.string() }, [
  'name',
  'version',
  'key',
]);
