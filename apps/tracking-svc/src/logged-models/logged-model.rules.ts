import type { LoggedModelStatus, Param, Tag } from '@cairn/contracts';
import { invalidParameter } from '@cairn/contracts';

export const MAX_MODEL_NAME_LENGTH = 500;
export const MAX_MODEL_TYPE_LENGTH = 500;
export const MAX_SOURCE_RUN_ID_LENGTH = 256;
export const MAX_MODEL_KEY_LENGTH = 255;
const NAME_BAD_CHARACTERS = ['/', ':', '.', '%', '"', "'"];

/** MLflow's `_validate_logged_model_name`; an absent or empty name means "generate one". */
export function validateModelName(name: string | undefined): string | undefined {
  if (name === undefined || name === '') return undefined;
  if (NAME_BAD_CHARACTERS.some((c) => name.includes(c))) {
    throw invalidParameter(
      `Invalid model name ('${name}') provided. Model name must be a non-empty string and cannot contain ` +
        `the following characters: ('/', ':', '.', '%', '"', "'")`,
    );
  }
  checkLength('name', MAX_MODEL_NAME_LENGTH, name);
  return name;
}

export function validateOptionalText(field: string, limit: number, value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  checkLength(field, limit, value);
  return value;
}

function checkLength(field: string, limit: number, value: string) {
  if (value.length > limit) throw invalidParameter(`'${field}' exceeds the maximum length of ${limit} characters`);
}

function checkKey(kind: 'Tag' | 'Param', key: string) {
  if (!key) throw invalidParameter(`${kind} key cannot be empty. A key name must be provided.`);
  if (key.length > MAX_MODEL_KEY_LENGTH) {
    throw invalidParameter(`${kind} key '${key.slice(0, 250)}' exceeds the maximum length of ${MAX_MODEL_KEY_LENGTH} characters`);
  }
}

/** Tags are mutable: a key given twice keeps its last value. */
export function validateModelTags(tags: readonly Tag[] | undefined): Tag[] {
  const byKey = new Map<string, string>();
  for (const { key, value } of tags ?? []) {
    checkKey('Tag', key);
    byKey.set(key, value ?? '');
  }
  return sortByKey([...byKey].map(([key, value]) => ({ key, value })));
}

/** Params are immutable: a key given twice must carry one value. */
export function validateModelParams(params: readonly Param[] | undefined): Param[] {
  const byKey = new Map<string, string>();
  for (const { key, value } of params ?? []) {
    checkKey('Param', key);
    const previous = byKey.get(key);
    if (previous !== undefined && previous !== (value ?? '')) {
      throw invalidParameter(`Duplicate parameter keys have been submitted: ['${key}'] with different values.`);
    }
    byKey.set(key, value ?? '');
  }
  return sortByKey([...byKey].map(([key, value]) => ({ key, value })));
}

export function changedModelParamError(modelId: string, key: string, oldValue: string, newValue: string) {
  return invalidParameter(
    `Changing param values is not allowed. Param with key='${key}' was already logged with value='${oldValue}' ` +
      `for logged model ID='${modelId}'. Attempted logging new value '${newValue}'.`,
  );
}

/** A model is finalized once its files are uploaded, or failed to be. */
export function validateFinalStatus(status: LoggedModelStatus): LoggedModelStatus {
  if (status !== 'LOGGED_MODEL_READY' && status !== 'LOGGED_MODEL_UPLOAD_FAILED') {
    throw invalidParameter(
      `Invalid value ${status} for parameter 'status' supplied. A logged model is finalized as ` +
        'LOGGED_MODEL_READY or LOGGED_MODEL_UPLOAD_FAILED.',
    );
  }
  return status;
}

/** `<experiment artifact location>/models/<model_id>/artifacts`, any query string kept at the end. */
export function modelArtifactLocation(experimentLocation: string, modelId: string): string {
  const queryAt = experimentLocation.indexOf('?');
  const base = queryAt < 0 ? experimentLocation : experimentLocation.slice(0, queryAt);
  const query = queryAt < 0 ? '' : experimentLocation.slice(queryAt);
  return `${base.replace(/\/+$/, '')}/models/${modelId}/artifacts${query}`;
}

function sortByKey<T extends { key: string }>(items: T[]): T[] {
  return items.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
