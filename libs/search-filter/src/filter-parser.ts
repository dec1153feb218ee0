import { invalidParameter } from '@cairn/contracts';
import { parseFilterSyntax, type SyntaxClause } from './filter-syntax';
import { requireIdentifier, requireListAgreement } from './grammars/common';
import { resolveRunEntity, splitIdentifier } from './identifier';
import { pySet } from './py-repr';
import type { Clause, ClauseValue, Comparator } from './types';
import { isStringLike, listValue, numberValue, stringValue } from './values';

const COMPARATORS: readonly Comparator[] = [
  '=', '!=', '>', '>=', '<', '<=', 'LIKE', 'ILIKE', 'IN', 'NOT IN', 'IS NULL', 'IS NOT NULL',
];

function valueOf(clause: SyntaxClause): ClauseValue {
  const right = clause.right;
  if (!right) return null;
  if (right.kind === 'paren') return listValue(right);
  if (right.kind === 'number') return numberValue(right);
  if (isStringLike(right)) return stringValue(right);
  throw invalidParameter(`Expected a quoted string value or a number. Got value ${right.raw}`);
}

function toClause(clause: SyntaxClause): Clause {
  const { entity, key } = splitIdentifier(requireIdentifier(clause));
  const resolved = resolveRunEntity(entity);
  const comparator = clause.comparator as Comparator;
  if (!COMPARATORS.includes(comparator)) {
    throw invalidParameter(`Invalid comparator '${clause.comparator}' not one of '${pySet(COMPARATORS)}'`);
  }
  requireListAgreement(comparator, clause.right);
  return { entity: resolved, key, comparator, value: valueOf(clause) };
}

/**
 * Parses an AND-only filter into clauses without any search's key rules: entity prefixes and
 * their aliases (`metrics.`, `params.`, `attr.`, ...), quoted identifiers, 'strings', numbers
 * and `IN (...)` lists. Use a grammar (runsGrammar, ...) to validate for a given search.
 */
export function parseFilter(filter: string | null | undefined): Clause[] {
  if (!filter) return [];
  return parseFilterSyntax(filter).map(toClause);
}
