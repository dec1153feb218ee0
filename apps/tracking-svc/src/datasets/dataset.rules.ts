import type { Dataset, DatasetInput, ModelOutput, Tag } from '@cairn/contracts';
import { invalidParameter } from '@cairn/contracts';

// MLflow's dataset limits (utils/validation.py), checked before anything is written.
export const MAX_DATASET_NAME_SIZE = 500;
export const MAX_DATASET_DIGEST_SIZE = 36;
export const MAX_DATASET_SOURCE_TYPE_SIZE = 36; // the SQL column; MLflow fails in the database instead
export const MAX_DATASET_SOURCE_SIZE = 65_535;
export const MAX_DATASET_SCHEMA_SIZE = 1_048_575;
export const MAX_DATASET_PROFILE_SIZE = 16_777_215;
export const MAX_INPUT_TAG_KEY_SIZE = 255;
export const MAX_INPUT_TAG_VALUE_SIZE = 500;
export const MAX_DATASETS_PER_REQUEST = 1000;
export const MAX_MODELS_PER_REQUEST = 1000;
export const DATASET_CONTEXT_TAG = 'mlflow.data.context';

function checkLength(field: string, limit: number, value: string | undefined) {
  if (value !== undefined && value.length > limit) {
    throw invalidParameter(`'${field}' exceeds the maximum length of ${limit} characters`);
  }
}

function checkCount(what: string, limit: number, count: number) {
  if (count > limit) {
    throw invalidParameter(
      `A batch logging request can contain at most ${limit} ${what}. Got ${count} ${what}. ` +
        `Please split up ${what} across multiple requests and try again.`,
    );
  }
}

function validateDataset(dataset: Dataset): void {
  checkLength('name', MAX_DATASET_NAME_SIZE, dataset.name);
  checkLength('digest', MAX_DATASET_DIGEST_SIZE, dataset.digest);
  checkLength('source_type', MAX_DATASET_SOURCE_TYPE_SIZE, dataset.source_type);
  checkLength('source', MAX_DATASET_SOURCE_SIZE, dataset.source);
  checkLength('schema', MAX_DATASET_SCHEMA_SIZE, dataset.schema);
  checkLength('profile', MAX_DATASET_PROFILE_SIZE, dataset.profile);
}

function validateInputTag(tag: Tag): void {
  checkLength('key', MAX_INPUT_TAG_KEY_SIZE, tag.key);
  checkLength('value', MAX_INPUT_TAG_VALUE_SIZE, tag.value);
}

/**
 * Validates dataset inputs and keeps the first of each (name, digest), as MLflow's store does.
 * The result is sorted by (name, digest) so concurrent writers take row locks in one order.
 */
export function validateDatasetInputs(inputs: readonly DatasetInput[]): DatasetInput[] {
  checkCount('datasets', MAX_DATASETS_PER_REQUEST, inputs.length);
  const byKey = new Map<string, DatasetInput>();
  for (const input of inputs) {
    validateDataset(input.dataset);
    for (const tag of input.tags ?? []) validateInputTag(tag);
    const key = JSON.stringify([input.dataset.name, input.dataset.digest]);
    if (!byKey.has(key)) byKey.set(key, { dataset: input.dataset, tags: input.tags ?? [] });
  }
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, input]) => input);
}

/** Distinct model ids, in a stable order. */
export function distinctModelIds(models: readonly { model_id: string }[]): string[] {
  checkCount('models', MAX_MODELS_PER_REQUEST, models.length);
  return [...new Set(models.map((m) => m.model_id))].sort();
}

/** Distinct (model, step) outputs; a step left out is step 0. */
export function distinctModelOutputs(models: readonly ModelOutput[]): ModelOutput[] {
  checkCount('models', MAX_MODELS_PER_REQUEST, models.length);
  const byKey = new Map<string, ModelOutput>();
  for (const m of models) {
    const step = m.step ?? 0;
    if (!Number.isSafeInteger(step)) {
      throw invalidParameter(`Invalid step ${String(m.step)} for model '${m.model_id}'. Step must be a valid long (64-bit integer).`);
    }
    byKey.set(`${m.model_id}\u0000${step}`, { model_id: m.model_id, step });
  }
  return [...byKey.values()].sort((a, b) => (a.model_id < b.model_id ? -1 : a.model_id > b.model_id ? 1 : a.step - b.step));
}
