import type { LoggedModelOrderBy } from '@cairn/contracts';
import { invalidParameter } from '@cairn/contracts';
import type { Clause, NumericComparator, StringComparator } from '@cairn/search-filter';
import { parseFilter } from '@cairn/search-filter';

// search_logged_models' grammar (MLflow mlflow/utils/search_logged_model_utils.py and the SQL
// store): `attributes.`, `metrics.`, `params.`, `tags.` (and the search grammar's aliases), AND only.
// Numeric keys take = != < <= > >=, string keys = != LIKE ILIKE. Attribute aliases apply with or
// without the `attributes.` prefix (MLflow applies them only without it).

export type ModelAttribute =
  | 'model_id'
  | 'name'
  | 'model_type'
  | 'status'
  | 'source_run_id'
  | 'creation_timestamp_ms'
  | 'last_updated_timestamp_ms';

export type ModelClause =
  | { entity: 'attribute'; key: ModelAttribute; comparator: StringComparator; value: string }
  | { entity: 'attribute'; key: ModelAttribute; comparator: NumericComparator; value: number }
  | { entity: 'metric'; key: string; comparator: NumericComparator; value: number }
  | { entity: 'param' | 'tag'; key: string; comparator: StringComparator; value: string };

export type ModelOrderTerm =
  | { entity: 'attribute'; key: ModelAttribute; ascending: boolean }
  | { entity: 'metric'; key: string; ascending: boolean; datasetName?: string; datasetDigest?: string };

const NUMERIC_ATTRIBUTES: readonly ModelAttribute[] = ['creation_timestamp_ms', 'last_updated_timestamp_ms'];
const ATTRIBUTES: readonly ModelAttribute[] = ['model_id', 'name', 'model_type', 'status', 'source_run_id', ...NUMERIC_ATTRIBUTES];
const ALIASES: Record<string, ModelAttribute> = {
  creation_time: 'creation_timestamp_ms',
  creation_timestamp: 'creation_timestamp_ms',
  last_updated_time: 'last_updated_timestamp_ms',
  last_updated_timestamp: 'last_updated_timestamp_ms',
};
const NUMERIC_OPS: readonly NumericComparator[] = ['<', '<=', '>', '>=', '=', '!='];
const STRING_OPS: readonly StringComparator[] = ['=', '!=', 'LIKE', 'ILIKE'];
const ENTITY_PREFIX = { attribute: 'attributes', metric: 'metrics', param: 'params', tag: 'tags' } as const;
const STATUS_NAMES: Record<string, string> = {
  PENDING: 'LOGGED_MODEL_PENDING',
  READY: 'LOGGED_MODEL_READY',
  FAILED: 'LOGGED_MODEL_UPLOAD_FAILED',
  UPLOAD_FAILED: 'LOGGED_MODEL_UPLOAD_FAILED',
  '1': 'LOGGED_MODEL_PENDING',
  '2': 'LOGGED_MODEL_READY',
  '3': 'LOGGED_MODEL_UPLOAD_FAILED',
};

const tuple = (items: readonly string[]) => `(${items.map((i) => `'${i}'`).join(', ')})`;

export function resolveModelAttribute(key: string): ModelAttribute | undefined {
  const resolved = Object.hasOwn(ALIASES, key) ? ALIASES[key] : key;
  return (ATTRIBUTES as readonly string[]).includes(resolved as string) ? (resolved as ModelAttribute) : undefined;
}

function toModelClause(clause: Clause): ModelClause {
  if (clause.entity === 'dataset') {
    throw invalidParameter("Invalid entity type: 'datasets'. Expected one of ['attributes', 'metrics', 'params', 'tags'].");
  }
  const key = clause.entity === 'attribute' ? resolveModelAttribute(clause.key) : clause.key;
  if (key === undefined) {
    throw invalidParameter(`Invalid attribute key '${clause.key}' specified. Valid keys are ${tuple([...ATTRIBUTES, ...Object.keys(ALIASES)])}`);
  }
  const numeric = clause.entity === 'metric' || (clause.entity === 'attribute' && NUMERIC_ATTRIBUTES.includes(key as ModelAttribute));
  const ops: readonly string[] = numeric ? NUMERIC_OPS : STRING_OPS;
  const label = `${ENTITY_PREFIX[clause.entity]}.${key}`;
  if (!ops.includes(clause.comparator)) {
    throw invalidParameter(`Invalid comparison operator for ${label}: '${clause.comparator}'. Expected one of ${tuple(ops)}.`);
  }
  if (numeric) return { entity: clause.entity, key, comparator: clause.comparator, value: numericValue(label, clause.value) } as ModelClause;
  let value = typeof clause.value === 'number' ? String(clause.value) : (clause.value as string);
  if (key === 'status' && (clause.comparator === '=' || clause.comparator === '!=')) value = STATUS_NAMES[value] ?? value;
  return { entity: clause.entity, key, comparator: clause.comparator, value } as ModelClause;
}

function numericValue(label: string, value: Clause['value']): number {
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(number)) {
    throw invalidParameter(`Invalid value for ${label}: expected a number, got ${JSON.stringify(value)}.`);
  }
  return number;
}

/** Parses and validates a logged-model filter; empty or absent means no clause. */
export function parseModelFilter(filter: string | null | undefined): ModelClause[] {
  return parseFilter(filter).map(toModelClause);
}

/**
 * The caller's order_by objects as terms, then MLflow's tie-breakers: newest first unless ordered
 * by creation time, and model_id so that pages never overlap.
 */
export function resolveModelOrderBy(orderBy: readonly LoggedModelOrderBy[] | undefined): ModelOrderTerm[] {
  const terms = (orderBy ?? []).map(toOrderTerm);
  if (!terms.some((t) => t.entity === 'attribute' && t.key === 'creation_timestamp_ms')) {
    terms.push({ entity: 'attribute', key: 'creation_timestamp_ms', ascending: false });
  }
  if (!terms.some((t) => t.entity === 'attribute' && t.key === 'model_id')) {
    terms.push({ entity: 'attribute', key: 'model_id', ascending: true });
  }
  return terms;
}

function toOrderTerm(item: LoggedModelOrderBy): ModelOrderTerm {
  const fieldName = item.field_name ?? '';
  const ascending = item.ascending ?? true;
  const dot = fieldName.indexOf('.');
  if (dot < 0) {
    const key = resolveModelAttribute(fieldName);
    if (!key) throw invalidParameter(`Invalid order by field name: ${fieldName}`);
    return { entity: 'attribute', key, ascending };
  }
  if (fieldName.slice(0, dot) !== 'metrics') {
    throw invalidParameter(`Invalid order by field name: ${fieldName}. Only metrics are supported.`);
  }
  const key = fieldName.slice(dot + 1).replace(/^`(.*)`$/, '$1');
  return { entity: 'metric', key, ascending, datasetName: item.dataset_name || undefined, datasetDigest: item.dataset_digest || undefined };
}
