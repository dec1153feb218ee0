import { invalidParameter } from '@cairn/contracts';
import { parseFilterSyntax, type SyntaxClause } from '../filter-syntax';
import { resolveAttributeOrTag, splitIdentifier } from '../identifier';
import { parseOrderByItems } from '../order-by';
import { pySet } from '../py-repr';
import type { Token } from '../tokenizer';
import type { ListComparator, SearchGrammar, StringComparator } from '../types';
import { isStringLike, listValue, stringValue } from '../values';
import {
  invalidAttributeKey,
  isOneOf,
  LIST_COMPARATORS,
  parseThenCheck,
  requireIdentifier,
  requireListAgreement,
  STRING_COMPARATORS,
} from './common';

// search_registered_models (MLflow SearchModelUtils + the SQL registry store). Only `name` and
// tags are filterable. Excluding prompts unless asked for is the repository's business.

export type RegisteredModelOrderKey = 'name' | 'last_updated_timestamp';

export type RegisteredModelClause =
  | { entity: 'attribute'; key: 'name'; comparator: StringComparator; value: string }
  | { entity: 'attribute'; key: 'name'; comparator: ListComparator; value: string[] }
  | { entity: 'tag'; key: string; comparator: StringComparator; value: string };

export interface RegisteredModelOrderTerm {
  entity: 'attribute';
  key: RegisteredModelOrderKey;
  ascending: boolean;
}

const ATTRIBUTE_COMPARATORS = [...STRING_COMPARATORS, ...LIST_COMPARATORS];
const ORDER_KEYS: Record<string, RegisteredModelOrderKey> = {
  name: 'name',
  timestamp: 'last_updated_timestamp',
  last_updated_timestamp: 'last_updated_timestamp',
};

interface Parsed {
  entity: 'attribute' | 'tag';
  key: string;
  value: string | string[] | null;
}

function valueOf(entity: 'attribute' | 'tag', right: Token): string | string[] {
  if (isStringLike(right)) return stringValue(right);
  if (entity === 'tag') {
    throw invalidParameter(`Expected a quoted string value for tag (e.g. 'my-value'). Got value ${right.raw}`);
  }
  if (right.kind === 'paren') return listValue(right);
  throw invalidParameter(
    `Expected a quoted string value or a list of quoted string values for attributes. Got value ${right.raw}`,
  );
}

function parseClause(clause: SyntaxClause): Parsed {
  const split = splitIdentifier(requireIdentifier(clause));
  const entity = resolveAttributeOrTag(split.entity);
  if (entity === 'attribute' && split.key !== 'name') throw invalidAttributeKey(split.key, ['name']);
  return { entity, key: split.key, value: clause.right ? valueOf(entity, clause.right) : null };
}

function checkClause(parsed: Parsed, clause: SyntaxClause): RegisteredModelClause {
  const { comparator } = clause;
  if (parsed.entity === 'tag' && !isOneOf(comparator, STRING_COMPARATORS)) {
    throw invalidParameter(`Invalid comparator for tag: ${comparator}`);
  }
  if (parsed.entity === 'attribute' && !isOneOf(comparator, ATTRIBUTE_COMPARATORS)) {
    throw invalidParameter(`Invalid comparator for attribute: ${comparator}`);
  }
  requireListAgreement(comparator, clause.right);
  return { entity: parsed.entity, key: parsed.key, comparator, value: parsed.value } as RegisteredModelClause;
}

function parseFilter(filter: string | null | undefined): RegisteredModelClause[] {
  if (!filter) return [];
  return parseThenCheck(parseFilterSyntax(filter, 'plain'), parseClause, checkClause);
}

/** `name`, `timestamp` or `last_updated_timestamp` (both the latter mean last_updated_timestamp). */
function parseOrderBy(orderBy: readonly string[] | null | undefined): RegisteredModelOrderTerm[] {
  return parseOrderByItems(
    orderBy,
    ({ identifier, ascending }) => {
      const split = splitIdentifier(identifier);
      const written = split.entity === undefined ? split.key : identifier.raw;
      const key = split.entity === undefined && Object.hasOwn(ORDER_KEYS, written) ? ORDER_KEYS[written] : undefined;
      if (!key) {
        throw invalidParameter(
          `Invalid order by key '${written}' specified. Valid keys are '${pySet(['name', 'timestamp'])}'`,
        );
      }
      return { entity: 'attribute' as const, key, ascending };
    },
    (term) => term.key,
  );
}

/** The caller's order, then `name ASC` unless already ordered by name. */
function resolveOrderBy(orderBy: readonly string[] | null | undefined): RegisteredModelOrderTerm[] {
  const terms = parseOrderBy(orderBy);
  if (!terms.some((t) => t.key === 'name')) terms.push({ entity: 'attribute', key: 'name', ascending: true });
  return terms;
}

export const registeredModelsGrammar: SearchGrammar<RegisteredModelClause, RegisteredModelOrderTerm> = {
  kind: 'registered_models',
  parseFilter,
  parseOrderBy,
  resolveOrderBy,
};
