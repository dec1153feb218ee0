import { invalidParameter } from '@cairn/contracts';
import { parseFilterSyntax, type SyntaxClause } from '../filter-syntax';
import { parseOrderByItems } from '../order-by';
import type { Token } from '../tokenizer';
import type {
  ListComparator,
  NullComparator,
  NumericComparator,
  SearchGrammar,
  StringComparator,
} from '../types';
import { isFloatLiteral, isStringLike, listValue, numberValue, stringValue } from '../values';
import {
  comparatorNotOneOf,
  isOneOf,
  LIST_COMPARATORS,
  listNotSupported,
  NULL_COMPARATORS,
  NUMERIC_COMPARATORS,
  parsePythonInt,
  parseThenCheck,
  resolveScopedIdentifier,
  requireIdentifier,
  requireListAgreement,
  rightOf,
  STRING_COMPARATORS,
} from './common';

// search_experiments (MLflow SearchExperimentsUtils + the SQL tracking store). Only `attribute.`,
// `tag.` and `tags.` prefixes. experiment_id values come back as canonical integer strings.

export type ExperimentTimeAttribute = 'creation_time' | 'last_update_time';
export type ExperimentOrderKey = 'name' | 'experiment_id' | ExperimentTimeAttribute;

export type ExperimentClause =
  | { entity: 'attribute'; key: 'name'; comparator: StringComparator; value: string }
  | { entity: 'attribute'; key: 'experiment_id'; comparator: '=' | '!='; value: string }
  | { entity: 'attribute'; key: 'experiment_id'; comparator: ListComparator; value: string[] }
  | { entity: 'attribute'; key: ExperimentTimeAttribute; comparator: NumericComparator; value: number }
  | { entity: 'tag'; key: string; comparator: StringComparator; value: string }
  | { entity: 'tag'; key: string; comparator: NullComparator; value: null };

export interface ExperimentOrderTerm {
  entity: 'attribute';
  key: ExperimentOrderKey;
  ascending: boolean;
}

const SEARCH_KEYS: readonly string[] = ['name', 'experiment_id', 'creation_time', 'last_update_time'];
const NUMERIC_KEYS: readonly string[] = ['creation_time', 'last_update_time'];
const STRING_ATTRIBUTE_COMPARATORS = [...STRING_COMPARATORS, ...LIST_COMPARATORS];
const EXPERIMENT_ID_COMPARATORS = ['=', '!=', ...LIST_COMPARATORS];

interface Parsed {
  entity: 'attribute' | 'tag';
  key: string;
  value: string | number | string[] | null;
}

function valueOf(entity: 'attribute' | 'tag', key: string, right: Token): string | number | string[] {
  if (entity === 'tag') {
    if (isStringLike(right)) return stringValue(right);
    throw invalidParameter(`Expected a quoted string value for tag (e.g. 'my-value'). Got value ${right.raw}`);
  }
  if (NUMERIC_KEYS.includes(key)) {
    if (right.kind !== 'number') {
      throw invalidParameter(`Expected numeric value type for numeric attribute: ${key}. Found ${right.raw}`);
    }
    return numberValue(right);
  }
  if (isStringLike(right)) return stringValue(right);
  if (right.kind === 'paren') {
    if (key !== 'experiment_id') throw listNotSupported(['experiment_id']);
    return listValue(right);
  }
  throw invalidParameter(`Expected a quoted string value for attributes. Got value ${right.raw}`);
}

function parseClause(clause: SyntaxClause): Parsed {
  const { entity, key } = resolveScopedIdentifier(requireIdentifier(clause), SEARCH_KEYS);
  if (isOneOf(clause.comparator, NULL_COMPARATORS)) {
    if (entity !== 'tag') {
      throw invalidParameter(`IS NULL / IS NOT NULL is only supported for tags, not for attribute '${key}'`);
    }
    return { entity, key, value: null };
  }
  return { entity, key, value: valueOf(entity, key, rightOf(clause)) };
}

function experimentId(value: string): string {
  const id = parsePythonInt(value);
  if (id === undefined) {
    throw invalidParameter(`Invalid experiment ID '${value}'. Experiment ID must be a valid integer.`);
  }
  return id.toString();
}

function toClause(parsed: Parsed, clause: SyntaxClause, value: Parsed['value']): ExperimentClause {
  return { entity: parsed.entity, key: parsed.key, comparator: clause.comparator, value } as ExperimentClause;
}

/** Validates the comparator as the store does, and settles the value. */
function checkClause(parsed: Parsed, clause: SyntaxClause): ExperimentClause {
  const { comparator, right } = clause;
  if (parsed.entity === 'tag') {
    if (!isOneOf(comparator, [...STRING_COMPARATORS, ...NULL_COMPARATORS])) {
      throw invalidParameter(`Invalid comparator for tag: ${comparator}`);
    }
    return toClause(parsed, clause, parsed.value);
  }
  if (parsed.key === 'experiment_id') {
    if (!EXPERIMENT_ID_COMPARATORS.includes(comparator)) {
      throw invalidParameter(`Invalid comparator for experiment_id: ${comparator}`);
    }
    requireListAgreement(comparator, right);
    const ids = Array.isArray(parsed.value) ? parsed.value.map(experimentId) : experimentId(parsed.value as string);
    return toClause(parsed, clause, ids);
  }
  if (NUMERIC_KEYS.includes(parsed.key)) {
    if (!isOneOf(comparator, NUMERIC_COMPARATORS)) {
      throw comparatorNotOneOf(comparator, NUMERIC_COMPARATORS);
    }
    if (right && isFloatLiteral(right)) {
      throw invalidParameter(`Invalid value for numeric attribute '${parsed.key}': '${right.raw}'`);
    }
    return toClause(parsed, clause, parsed.value);
  }
  if (!isOneOf(comparator, STRING_ATTRIBUTE_COMPARATORS)) {
    throw comparatorNotOneOf(comparator, STRING_ATTRIBUTE_COMPARATORS);
  }
  if (!isOneOf(comparator, STRING_COMPARATORS)) {
    throw invalidParameter(`Invalid comparator for string attribute: ${comparator}`);
  }
  return toClause(parsed, clause, parsed.value);
}

function parseFilter(filter: string | null | undefined): ExperimentClause[] {
  if (!filter) return [];
  return parseThenCheck(parseFilterSyntax(filter, 'plain'), parseClause, checkClause);
}

function parseOrderBy(orderBy: readonly string[] | null | undefined): ExperimentOrderTerm[] {
  return parseOrderByItems(orderBy, ({ identifier, ascending }) => {
    const { entity, key } = resolveScopedIdentifier(identifier, SEARCH_KEYS);
    if (entity !== 'attribute') throw invalidParameter(`Invalid order_by entity: ${entity}`);
    return { entity, key: key as ExperimentOrderKey, ascending };
  });
}

/** The caller's order (default `creation_time DESC, experiment_id ASC`), then `experiment_id DESC`
 * unless already ordered by it. MLflow allows naming a field twice here. */
function resolveOrderBy(orderBy: readonly string[] | null | undefined): ExperimentOrderTerm[] {
  const terms = orderBy?.length
    ? parseOrderBy(orderBy)
    : [
        { entity: 'attribute' as const, key: 'creation_time' as const, ascending: false },
        { entity: 'attribute' as const, key: 'experiment_id' as const, ascending: true },
      ];
  if (!terms.some((t) => t.key === 'experiment_id')) {
    terms.push({ entity: 'attribute', key: 'experiment_id', ascending: false });
  }
  return terms;
}

export const experimentsGrammar: SearchGrammar<ExperimentClause, ExperimentOrderTerm> = {
  kind: 'experiments',
  parseFilter,
  parseOrderBy,
  resolveOrderBy,
};
