import { invalidParameter } from '@cairn/contracts';
import { parseFilterSyntax, type SyntaxClause } from '../filter-syntax';
import { MLFLOW_ENTITY_NAME, resolveRunEntity, splitIdentifier } from '../identifier';
import { parseOrderByItems } from '../order-by';
import { pySet } from '../py-repr';
import type { Token } from '../tokenizer';
import type {
  Entity,
  ListComparator,
  NullComparator,
  NumericComparator,
  SearchGrammar,
  StringComparator,
} from '../types';
import { isStringLike, listValue, numberValue, stringValue } from '../values';
import {
  comparatorNotOneOf,
  invalidAttributeKey,
  isOneOf,
  LIST_COMPARATORS,
  listNotSupported,
  NULL_COMPARATORS,
  NUMERIC_COMPARATORS,
  parseThenCheck,
  requireIdentifier,
  requireListAgreement,
  rightOf,
  STRING_COMPARATORS,
} from './common';

// search_runs (MLflow SearchUtils + the SQL tracking store). Keys come back normalised:
// `created`/`Created` -> start_time, `run name`/`Run name`/`Run Name` -> run_name. MLflow
// filters run_name on the `mlflow.runName` tag, and compares metrics with the latest value.

export type RunStringAttribute = 'run_id' | 'run_name' | 'user_id' | 'status' | 'artifact_uri';
export type RunNumericAttribute = 'start_time' | 'end_time';
export type RunDatasetKey = 'name' | 'digest' | 'context';
export type RunOrderAttribute = RunStringAttribute | RunNumericAttribute;

export type RunClause =
  | { entity: 'metric'; key: string; comparator: NumericComparator; value: number }
  | { entity: 'param' | 'tag'; key: string; comparator: StringComparator; value: string }
  | { entity: 'param' | 'tag'; key: string; comparator: NullComparator; value: null }
  | { entity: 'attribute'; key: RunStringAttribute; comparator: StringComparator; value: string }
  | { entity: 'attribute'; key: 'run_id'; comparator: ListComparator; value: string[] }
  | { entity: 'attribute'; key: RunNumericAttribute; comparator: NumericComparator; value: number }
  | { entity: 'dataset'; key: RunDatasetKey; comparator: StringComparator; value: string }
  | { entity: 'dataset'; key: RunDatasetKey; comparator: ListComparator; value: string[] };

export type RunOrderTerm =
  | { entity: 'attribute'; key: RunOrderAttribute; ascending: boolean }
  | { entity: 'metric' | 'param' | 'tag'; key: string; ascending: boolean };

const KEY_ALIASES: Record<string, RunOrderAttribute> = {
  created: 'start_time',
  Created: 'start_time',
  'run name': 'run_name',
  'Run name': 'run_name',
  'Run Name': 'run_name',
};
const STRING_ATTRIBUTES: readonly string[] = ['run_id', 'run_name', 'user_id', 'status', 'artifact_uri'];
const NUMERIC_ATTRIBUTES: readonly string[] = ['start_time', 'end_time', 'created', 'Created'];
const SEARCH_ATTRIBUTE_KEYS = [...STRING_ATTRIBUTES, ...NUMERIC_ATTRIBUTES, 'run name', 'Run name', 'Run Name'];
const ORDER_BY_ATTRIBUTE_KEYS = [...STRING_ATTRIBUTES, ...NUMERIC_ATTRIBUTES];
const DATASET_KEYS: readonly string[] = ['name', 'digest', 'context'];
const STRING_ATTRIBUTE_COMPARATORS = [...STRING_COMPARATORS, ...LIST_COMPARATORS];
const KEY_VALUE_COMPARATORS = [...STRING_COMPARATORS, ...NULL_COMPARATORS];

interface Parsed {
  entity: Entity;
  /** The key as written (aliases kept), for messages. */
  key: string;
  value: string | number | string[] | null;
}

function resolveIdentifier(token: Token, validAttributes: readonly string[]): { entity: Entity; key: string } {
  const split = splitIdentifier(token);
  const entity = resolveRunEntity(split.entity);
  if (entity === 'attribute' && !validAttributes.includes(split.key)) {
    throw invalidAttributeKey(split.key, validAttributes);
  }
  if (entity === 'dataset' && !DATASET_KEYS.includes(split.key)) {
    throw invalidParameter(`Invalid dataset key '${split.key}' specified. Valid keys are '${pySet(DATASET_KEYS)}'`);
  }
  return { entity, key: split.key };
}

function attributeValue(key: string, right: Token): string | number | string[] {
  if (NUMERIC_ATTRIBUTES.includes(key)) {
    if (right.kind !== 'number') {
      throw invalidParameter(`Expected numeric value type for numeric attribute: ${key}. Found ${right.raw}`);
    }
    return numberValue(right);
  }
  if (isStringLike(right)) return stringValue(right);
  if (right.kind === 'paren') {
    if (key !== 'run_id') throw listNotSupported(['run_id']);
    return listValue(right);
  }
  throw invalidParameter(`Expected a quoted string value for attributes. Got value ${right.raw}`);
}

function valueOf(entity: Entity, key: string, right: Token): string | number | string[] {
  switch (entity) {
    case 'metric':
      if (right.kind !== 'number') throw invalidParameter(`Expected numeric value type for metric. Found ${right.raw}`);
      return numberValue(right);
    case 'param':
    case 'tag':
      if (isStringLike(right)) return stringValue(right);
      throw invalidParameter(
        `Expected a quoted string value for ${MLFLOW_ENTITY_NAME[entity]} (e.g. 'my-value'). Got value ${right.raw}`,
      );
    case 'attribute':
      return attributeValue(key, right);
    case 'dataset':
      if (isStringLike(right)) return stringValue(right);
      if (right.kind === 'paren') return listValue(right);
      throw invalidParameter(`Expected a quoted string value for dataset attributes. Got value ${right.raw}`);
  }
}

function parseClause(clause: SyntaxClause): Parsed {
  const { entity, key } = resolveIdentifier(requireIdentifier(clause), SEARCH_ATTRIBUTE_KEYS);
  if (isOneOf(clause.comparator, NULL_COMPARATORS)) {
    if (entity !== 'tag' && entity !== 'param') {
      throw invalidParameter(
        `IS NULL / IS NOT NULL is only supported for tags and params, not for '${MLFLOW_ENTITY_NAME[entity]}' '${key}'`,
      );
    }
    return { entity, key, value: null };
  }
  return { entity, key, value: valueOf(entity, key, rightOf(clause)) };
}

function allowedComparators(parsed: Parsed): readonly string[] {
  switch (parsed.entity) {
    case 'metric':
      return NUMERIC_COMPARATORS;
    case 'param':
    case 'tag':
      return KEY_VALUE_COMPARATORS;
    case 'attribute':
      return NUMERIC_ATTRIBUTES.includes(parsed.key) ? NUMERIC_COMPARATORS : STRING_ATTRIBUTE_COMPARATORS;
    case 'dataset':
      return STRING_ATTRIBUTE_COMPARATORS;
  }
}

function checkClause(parsed: Parsed, clause: SyntaxClause): RunClause {
  const allowed = allowedComparators(parsed);
  if (!allowed.includes(clause.comparator)) throw comparatorNotOneOf(clause.comparator, allowed);
  requireListAgreement(clause.comparator, clause.right);
  const key = parsed.entity === 'attribute' ? (KEY_ALIASES[parsed.key] ?? parsed.key) : parsed.key;
  return { entity: parsed.entity, key, comparator: clause.comparator, value: parsed.value } as RunClause;
}

function parseFilter(filter: string | null | undefined): RunClause[] {
  if (!filter) return [];
  return parseThenCheck(parseFilterSyntax(filter, 'quoted'), parseClause, checkClause);
}

function parseOrderBy(orderBy: readonly string[] | null | undefined): RunOrderTerm[] {
  return parseOrderByItems(
    orderBy,
    ({ identifier, ascending }) => {
      const { entity, key } = resolveIdentifier(identifier, ORDER_BY_ATTRIBUTE_KEYS);
      if (entity === 'dataset') throw invalidParameter("Invalid identifier type 'dataset'");
      if (entity === 'attribute') return { entity, key: KEY_ALIASES[key] ?? (key as RunOrderAttribute), ascending };
      return { entity, key, ascending };
    },
    (term) => `${term.entity}.${term.key}`,
  );
}

/** The caller's order, then `start_time DESC` unless ordered by it, then `run_id ASC` as the tie-breaker. */
function resolveOrderBy(orderBy: readonly string[] | null | undefined): RunOrderTerm[] {
  const terms = parseOrderBy(orderBy);
  const has = (key: RunOrderAttribute) => terms.some((t) => t.entity === 'attribute' && t.key === key);
  if (!has('start_time')) terms.push({ entity: 'attribute', key: 'start_time', ascending: false });
  if (!has('run_id')) terms.push({ entity: 'attribute', key: 'run_id', ascending: true });
  return terms;
}

export const runsGrammar: SearchGrammar<RunClause, RunOrderTerm> = {
  kind: 'runs',
  parseFilter,
  parseOrderBy,
  resolveOrderBy,
};
