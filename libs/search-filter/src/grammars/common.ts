import { invalidParameter, type CairnError } from '@cairn/contracts';
import type { SyntaxClause } from '../filter-syntax';
import { resolveAttributeOrTag, splitIdentifier } from '../identifier';
import { pyList, pySet } from '../py-repr';
import type { Token } from '../tokenizer';
import type { ListComparator, NullComparator, NumericComparator, StringComparator } from '../types';

export const NUMERIC_COMPARATORS: readonly NumericComparator[] = ['=', '!=', '>', '>=', '<', '<='];
export const STRING_COMPARATORS: readonly StringComparator[] = ['=', '!=', 'LIKE', 'ILIKE'];
export const LIST_COMPARATORS: readonly ListComparator[] = ['IN', 'NOT IN'];
export const NULL_COMPARATORS: readonly NullComparator[] = ['IS NULL', 'IS NOT NULL'];

export function isOneOf<T extends string>(value: string, allowed: readonly T[]): value is T {
  return (allowed as readonly string[]).includes(value);
}

/** MLflow's `_validate_comparison`: the left side of a comparison must be an identifier. */
export function requireIdentifier(clause: SyntaxClause): Token {
  if (clause.left.kind !== 'identifier') {
    throw invalidParameter(`Invalid comparison clause. Expected 'Identifier' found '${clause.left.raw}'`);
  }
  return clause.left;
}

/** The right side of a clause that has one (every comparator but IS [NOT] NULL). */
export function rightOf(clause: SyntaxClause): Token {
  if (!clause.right) throw invalidParameter(`Invalid comparison clause. Expected a value after '${clause.left.raw}'`);
  return clause.right;
}

/** "Invalid comparator 'X' not one of '{...}'", as SearchUtils.is_metric / is_param / ... word it. */
export function comparatorNotOneOf(comparator: string, allowed: readonly string[]): CairnError {
  return invalidParameter(`Invalid comparator '${comparator}' not one of '${pySet(allowed)}'`);
}

/** A list value (`(...)`) goes only with IN / NOT IN, and IN / NOT IN only with a list. */
export function requireListAgreement(comparator: string, right: Token | undefined): void {
  const isList = right?.kind === 'paren';
  const wantsList = isOneOf(comparator, LIST_COMPARATORS);
  if (isList && !wantsList) {
    throw invalidParameter(`Invalid comparator '${comparator}' for a list of values. Use IN or NOT IN.`);
  }
  if (wantsList && !isList) throw invalidParameter(`Comparator '${comparator}' needs a list of quoted string values.`);
}

/** "Only ['run_id'] attributes support comparison with a list of quoted string values." */
export function listNotSupported(keys: readonly string[]): CairnError {
  return invalidParameter(
    `Only ${pyList([...keys].sort())} attributes support comparison with a list of quoted string values.`,
  );
}

export function invalidAttributeKey(key: string, valid: readonly string[]): CairnError {
  return invalidParameter(`Invalid attribute key '${key}' specified. Valid keys are '${pySet(valid)}'`);
}

/**
 * Applies `parse` to every clause, then `check` to every parsed clause, which returns the final
 * clause. MLflow validates keys and values while parsing and comparators afterwards (in the
 * store), so a bad key in a later clause wins over a bad comparator in an earlier one.
 */
export function parseThenCheck<P, R>(
  clauses: readonly SyntaxClause[],
  parse: (clause: SyntaxClause) => P,
  check: (parsed: P, clause: SyntaxClause) => R,
): R[] {
  const parsed = clauses.map(parse);
  return parsed.map((p, i) => check(p, clauses[i] as SyntaxClause));
}

/** Python's `int(text)` for a string: surrounding whitespace, a sign and digit-separating underscores allowed. */
export function parsePythonInt(text: string): bigint | undefined {
  const trimmed = text.trim();
  if (!/^[+-]?\d+(?:_\d+)*$/.test(trimmed)) return undefined;
  return BigInt(trimmed.replace(/_/g, ''));
}

/** Entity (`attribute.`, `tag.`, `tags.`, or none) and key, for the experiment and registry searches. */
export function resolveScopedIdentifier(
  token: Token,
  validAttributes: readonly string[],
): { entity: 'attribute' | 'tag'; key: string } {
  const split = splitIdentifier(token);
  const entity = resolveAttributeOrTag(split.entity);
  if (entity === 'attribute' && !validAttributes.includes(split.key)) {
    throw invalidAttributeKey(split.key, validAttributes);
  }
  return { entity, key: split.key };
}
