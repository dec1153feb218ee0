import type { Metric, Param, RunTag } from '@cairn/contracts';
import { invalidParameter } from '@cairn/contracts';
import { BAD_CHARACTERS, badPathMessage, KEY_PATTERN, pathNotUnique } from '@cairn/mlflow-wire';

export const MAX_KEY_LENGTH = 250;
export const MAX_PARAM_VALUE_LENGTH = 6000;
export const MAX_TAG_VALUE_LENGTH = 8000;
export const MAX_METRICS_PER_BATCH = 1000;
export const MAX_PARAMS_TAGS_PER_BATCH = 100;
export const MAX_ENTITIES_PER_BATCH = 1000;
export const RUN_NAME_TAG = 'mlflow.runName';


type KeyKind = 'metric' | 'parameter' | 'tag';

/** How MLflow 3.17 names the key in its length message. */
const LENGTH_LABEL: Record<KeyKind, string> = { metric: 'Metric name', parameter: 'Param key', tag: 'key' };

/**
 * MLflow's key rules (utils/validation.py): characters, no path tricks, at most 250 characters,
 * with MLflow 3.17's messages (`Invalid value "k" for parameter 'key' supplied: …`).
 */
export function validateKey(kind: KeyKind, key: string | undefined): string {
  if (key === undefined || key === null) {
    const label = kind === 'metric' ? 'Metric' : kind === 'parameter' ? 'Parameter' : 'Tag';
    throw invalidParameter(`${label} name cannot be None. A key name must be provided.`);
  }
  const invalid = (reason: string) => invalidParameter(`Invalid value ${JSON.stringify(key)} for parameter 'key' supplied: ${reason}`);
  if (!KEY_PATTERN.test(key)) throw invalid(BAD_CHARACTERS);
  if (pathNotUnique(key)) throw invalid(badPathMessage(key));
  if (key.length > MAX_KEY_LENGTH) {
    throw invalidParameter(`'${LENGTH_LABEL[kind]}' exceeds the maximum length of ${MAX_KEY_LENGTH} characters`);
  }
  return key;
}

/** Since MLflow 2.11 over-long param and tag values are truncated, not refused. */
export function validateParam(param: Param): Param {
  return { key: validateKey('parameter', param.key), value: String(param.value ?? '').slice(0, MAX_PARAM_VALUE_LENGTH) };
}

export function validateTag(tag: RunTag): RunTag {
  return { key: validateKey('tag', tag.key), value: String(tag.value ?? '').slice(0, MAX_TAG_VALUE_LENGTH) };
}

export interface MetricPoint {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

/** Every point of a batch, in order; a batch repeats a few keys over many steps, so each key is checked once. */
export function validateMetrics(metrics: readonly Metric[]): MetricPoint[] {
  const validKeys = new Set<string>();
  return metrics.map((metric) => {
    if (!validKeys.has(metric.key)) validKeys.add(validateKey('metric', metric.key));
    return validatePoint(metric);
  });
}

/** MLflow's _validate_metric; NaN and ±Infinity are values like any other (sent as strings). */
export function validateMetric(metric: Metric): MetricPoint {
  validateKey('metric', metric.key);
  return validatePoint(metric);
}

/** A metric's value, timestamp and step, its key already checked. */
function validatePoint(metric: Metric): MetricPoint {
  const { key } = metric;
  const value = typeof metric.value === 'number' ? metric.value : Number(metric.value);
  if (typeof metric.value !== 'number' && !['NaN', 'Infinity', '-Infinity'].includes(String(metric.value))) {
    throw invalidParameter(
      `Got invalid value ${String(metric.value)} for metric '${key}' (timestamp=${metric.timestamp}). Please specify value as a valid double (64-bit floating point)`,
    );
  }
  const { timestamp } = metric;
  if (!isInt64(timestamp) || timestamp < 0) {
    throw invalidParameter(
      `Got invalid timestamp ${timestamp} for metric '${key}' (value=${String(metric.value)}). Timestamp must be a nonnegative long (64-bit integer) `,
    );
  }
  const step = metric.step ?? 0;
  if (!isInt64(step)) {
    throw invalidParameter(`Got invalid step ${step} for metric '${key}' (value=${String(metric.value)}). Step must be a valid long (64-bit integer).`);
  }
  return { key, value, timestamp, step };
}

/** An integer PostgreSQL's bigint holds (beyond 2^53 a JSON number is already rounded; it still fits). */
const isInt64 = (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 63;

function batchLimit(entity: string, limit: number, length: number) {
  if (length > limit) {
    throw invalidParameter(
      `A batch logging request can contain at most ${limit} ${entity}. Got ${length} ${entity}. Please split up ${entity} across multiple requests and try again.`,
    );
  }
}

export function validateBatchLimits(metrics: number, params: number, tags: number): void {
  batchLimit('metrics', MAX_METRICS_PER_BATCH, metrics);
  batchLimit('params', MAX_PARAMS_TAGS_PER_BATCH, params);
  batchLimit('tags', MAX_PARAMS_TAGS_PER_BATCH, tags);
  batchLimit('metrics, params, and tags', MAX_ENTITIES_PER_BATCH, metrics + params + tags);
}

export function validateUniqueParamKeys(params: readonly Param[]): void {
  const seen = new Set<string>();
  const dupes: string[] = [];
  for (const { key } of params) {
    if (seen.has(key)) dupes.push(key);
    seen.add(key);
  }
  if (dupes.length > 0) {
    throw invalidParameter(
      `Duplicate parameter keys have been submitted: [${dupes.map((k) => `'${k}'`).join(', ')}]. Please ensure the request contains only one param value per param key.`,
    );
  }
}

/** log-batch's message (MLflow 3.17): every conflicting param, as a Python list of dicts. */
export function changedParamsError(runId: string, conflicts: readonly { key: string; existing: string; value: string }[]) {
  const items = conflicts.map((c) => `{'key': ${pyStr(c.key)}, 'old_value': ${pyStr(c.existing)}, 'new_value': ${pyStr(c.value)}}`);
  return invalidParameter(`Changing param values is not allowed. Params were already logged='[${items.join(', ')}]' for run ID='${runId}'.`);
}

/** Python's repr of a str (single quotes unless the text holds one and no double quote). */
function pyStr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const escaped = text.replace(/\\/g, '\\\\').replace(new RegExp(quote, 'g'), `\\${quote}`).replace(/\n/g, '\\n');
  return `${quote}${escaped}${quote}`;
}

export function changedParamError(runId: string, key: string, oldValue: string, newValue: string) {
  return invalidParameter(
    `Changing param values is not allowed. Param with key='${key}' was already logged with value='${oldValue}' for run ID='${runId}'. Attempted logging new value '${newValue}'.`,
  );
}
