import { invalidParameter } from '@cairn/contracts';
import { parseFilterSyntax, type SyntaxClause } from '../filter-syntax';
import { parseOrderByItems } from '../order-by';
import { pySet, pyStr } from '../py-repr';
import type { Token } from '../tokenizer';
import type { ListComparator, NumericComparator, SearchGrammar, StringComparator } from '../types';
import { isFloatLiteral, isStringLike, listValue, numberValue, stringValue } from '../values';
import {
  isOneOf,
  LIST_COMPARATORS,
  listNotSupported,
  NUMERIC_COMPARATORS,
  parsePythonInt,
  parseThenCheck,
  resolveScopedIdentifier,
  requireIdentifier,
  requireListAgreement,
  STRING_COMPARATORS,
} from './common';

// search_model_versions (MLflow SearchModelVersionUtils + the SQL registry store). Keys keep
// MLflow's names: `source_path` is the version's source, `version_number` its version.
// Excluding deleted versions and prompts is the repository's business.

export type ModelVersionStringKey = 'name' | 'run_id' | 'source_path';
export type ModelVersionOrderKey = 'name' | 'version_number' | 'creation_timestamp' | 'last_updated_timestamp';

export type ModelVersionClause =
  | { entity: 'attribute'; key: ModelVersionStringKey; comparator: StringComparator; value: string }
  | { entity: 'attribute'; key: 'name' | 'run_id'; comparator: ListComparator; value: string[] }
  | { entity: 'attribute'; key: 'version_number'; comparator: NumericComparator; value: number }
  | { entity: 'tag'; key: string; comparator: StringComparator; value: string };

export interface ModelVersionOrderTerm {
  entity: 'attribute';
  key: ModelVersionOrderKey;
  ascending: boolean;
}

const SEARCH_KEYS: readonly string[] = ['name', 'version_number', 'run_id', 'source_path'];
const ORDER_KEYS: readonly string[] = ['name', 'version_number', 'creation_timestamp', 'last_updated_timestamp'];
const NUMERIC_KEYS: readonly string[] = ['version_number', 'creation_timestamp', 'last_updated_timestamp'];
const LIST_KEYS: readonly string[] = ['name', 'run_id'];
const STRING_ATTRIBUTE_COMPARATORS = [...STRING_COMPARATORS, ...LIST_COMPARATORS];

interface Parsed {
  entity: 'attribute' | 'tag';
  key: string;
  value: string | number | string[] | null;
}

function attributeValue(key: string, right: Token): string | number | string[] {
  if (isStringLike(right)) return stringValue(right);
  if (right.kind === 'paren') {
    if (!LIST_KEYS.includes(key)) throw listNotSupported(LIST_KEYS);
    return listValue(right);
  }
  if (right.kind === 'number') {
    if (!NUMERIC_KEYS.includes(key)) {
      throw invalidParameter(`Only the '${pySet(NUMERIC_KEYS)}' attributes support comparison with numeric values.`);
    }
    return numberValue(right);
  }
  throw invalidParameter(
    `Expected a quoted string value or a list of quoted string values for attributes. Got value ${right.raw}`,
  );
}

function parseClause(clause: SyntaxClause): Parsed {
  const { entity, key } = resolveScopedIdentifier(requireIdentifier(clause), SEARCH_KEYS);
  const right = clause.right;
  if (!right) return { entity, key, value: null };
  if (entity === 'attribute') return { entity, key, value: attributeValue(key, right) };
  if (isStringLike(right)) return { entity, key, value: stringValue(right) };
  throw invalidParameter(`Expected a quoted string value for tag (e.g. 'my-value'). Got value ${right.raw}`);
}

/** version_number must be a whole number; MLflow also takes it quoted ('3'), as Python's int() does. */
function versionNumber(parsed: Parsed, right: Token | undefined): number {
  const invalid = (shown: string) =>
    invalidParameter(`Invalid value for numeric attribute '${parsed.key}': ${shown}`);
  if (typeof parsed.value === 'number') {
    if (right && isFloatLiteral(right)) throw invalid(right.raw);
    return parsed.value;
  }
  const parsedInt = parsePythonInt(String(parsed.value));
  if (parsedInt === undefined) throw invalid(pyStr(String(parsed.value)));
  return Number(parsedInt);
}

function checkClause(parsed: Parsed, clause: SyntaxClause): ModelVersionClause {
  const { comparator, right } = clause;
  let value = parsed.value;
  if (parsed.entity === 'tag') {
    if (!isOneOf(comparator, STRING_COMPARATORS)) throw invalidParameter(`Invalid comparator for tag: ${comparator}`);
  } else if (NUMERIC_KEYS.includes(parsed.key)) {
    if (!isOneOf(comparator, NUMERIC_COMPARATORS)) {
      throw invalidParameter(`Invalid comparator for attribute ${parsed.key}: ${comparator}`);
    }
    value = versionNumber(parsed, right);
  } else if (
    !isOneOf(comparator, STRING_ATTRIBUTE_COMPARATORS) ||
    (isOneOf(comparator, LIST_COMPARATORS) && !LIST_KEYS.includes(parsed.key))
  ) {
    throw invalidParameter(`Invalid comparator for attribute: ${comparator}`);
  }
  requireListAgreement(comparator, right);
  return { entity: parsed.entity, key: parsed.key, comparator, value } as ModelVersionClause;
}

function parseFilter(filter: string | null | undefined): ModelVersionClause[] {
  if (!filter) return [];
  return parseThenCheck(parseFilterSyntax(filter, 'plain'), parseClause, checkClause);
}

function parseOrderBy(orderBy: readonly string[] | null | undefined): ModelVersionOrderTerm[] {
  return parseOrderByItems(
    orderBy,
    ({ identifier, ascending }) => {
      const { entity, key } = resolveScopedIdentifier(identifier, ORDER_KEYS);
      if (entity !== 'attribute') {
        throw invalidParameter(`Invalid order by key '${key}' specified. Valid keys are ${pySet(ORDER_KEYS)}`);
      }
      return { entity, key: key as ModelVersionOrderKey, ascending };
    },
    (term) => term.key,
  );
}

/** The caller's order (default `last_updated_timestamp DESC, name ASC, version_number DESC`),
 * then `name ASC` and `version_number DESC` unless already ordered by them. */
function resolveOrderBy(orderBy: readonly string[] | null | undefined): ModelVersionOrderTerm[] {
  const terms = parseOrderBy(
    orderBy?.length ? orderBy : ['last_updated_timestamp DESC', 'name ASC', 'version_number DESC'],
  );
  if (!terms.some((t) => t.key === 'name')) terms.push({ entity: 'attribute', key: 'name', ascending: true });
  if (!terms.some((t) => t.key === 'version_number')) {
    terms.push({ entity: 'attribute', key: 'version_number', ascending: false });
  }
  return terms;
}

export const modelVersionsGrammar: SearchGrammar<ModelVersionClause, ModelVersionOrderTerm> = {
  kind: 'model_versions',
  parseFilter,
  parseOrderBy,
  resolveOrderBy,
};
