import { invalidParameter } from '@cairn/contracts';
import { BAD_CHARACTERS, badPathMessage, KEY_PATTERN, pathNotUnique } from '@cairn/mlflow-wire';

// MLflow's rules for registry names and keys (mlflow/utils/validation.py), with its messages.

/** Python's json.dumps of a string: double quotes, non-ASCII escaped. */
export function pyJson(value: string): string {
  return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export const missingValue = (path: string) => invalidParameter(`Missing value for required parameter '${path}'.`);

export function invalidValue(path: string, value: string, message: string) {
  return invalidParameter(`Invalid value ${pyJson(value)} for parameter '${path}' supplied: ${message}`);
}

function badPath(path: string, name: string) {
  return invalidValue(path, name, badPathMessage(name));
}

export function checkLength(what: string, limit: number, value: string | undefined): void {
  if (value !== undefined && value.length > limit) {
    throw invalidParameter(`'${what}' exceeds the maximum length of ${limit} characters`);
  }
}

/** `_validate_model_name`: not blank, no `/` or `:`, not path-like. */
export function validateModelName(name: string | undefined, path = 'name'): string {
  if (name === undefined || name.trim() === '') throw missingValue(path);
  if (name.includes('/') || name.includes(':')) {
    throw invalidParameter(`Invalid model name '${name}'. Names cannot contain '/' or ':'.`);
  }
  if (pathNotUnique(name)) throw badPath('name', name);
  checkLength(path, 256, name);
  return name;
}

/** `_validate_model_version`: Python's int() of the string. */
export function parseVersion(version: string | number | undefined): number {
  const text = String(version ?? '');
  const trimmed = text.trim();
  if (/^[+-]?\d+(_\d+)*$/.test(trimmed)) {
    const value = Number(trimmed.replace(/_/g, ''));
    if (Number.isSafeInteger(value)) return value;
  }
  throw invalidParameter(`Parameter 'version' must be an integer, got '${text}'.`);
}

/** `_validate_tag_name`. */
export function validateTagKey(key: string | undefined, path = 'key'): string {
  if (key === undefined) throw missingValue(path);
  if (!KEY_PATTERN.test(key)) throw invalidValue(path, key, BAD_CHARACTERS);
  if (pathNotUnique(key)) throw badPath(path, key);
  return key;
}

export const MAX_TAG_KEY_LENGTH = 250;
export const MAX_TAG_VALUE_LENGTH = 100_000;

/** Registered model and model version tags: key ≤ 250, value ≤ 100,000 (MLflow 3.x). */
export function validateRegistryTag(key: string | undefined, value: string | undefined): void {
  validateTagKey(key);
  checkLength('key', MAX_TAG_KEY_LENGTH, key);
  checkLength('value', MAX_TAG_VALUE_LENGTH, value);
}

const ALIAS_PATTERN = /^[\p{L}\p{N}_-]*$/u;

/** `_validate_model_alias_name`. */
export function validateAlias(alias: string | undefined): string {
  if (alias === undefined || alias === '') throw invalidParameter('Registered model alias name cannot be empty.');
  if (!ALIAS_PATTERN.test(alias)) {
    throw invalidParameter(`Invalid alias name: '${alias}'. Names may only contain alphanumerics, underscores (_), and dashes (-).`);
  }
  checkLength('Registered model alias name', 255, alias);
  return alias;
}

export const LATEST_ALIAS = 'latest';

/** `_validate_model_alias_name_reserved`: `latest` and `v<digits>` name versions already. */
export function assertAliasNotReserved(alias: string): void {
  if (alias.toLowerCase() === LATEST_ALIAS) throw invalidParameter("'latest' alias name (case insensitive) is reserved.");
  if (/^[vV]\d+$/.test(alias)) throw invalidParameter(`Version alias name '${alias}' is reserved.`);
}
