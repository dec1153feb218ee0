import { invalidParameter, type CairnError } from '@cairn/contracts';
import { resolveRunEntity, splitIdentifier } from './identifier';
import { pyList } from './py-repr';
import { tokenize, type Token } from './tokenizer';
import type { OrderTerm } from './types';

/** One order_by item as written: `<identifier> [ASC|DESC]`. */
export interface OrderBySyntax {
  identifier: Token;
  ascending: boolean;
}

function couldNotParse(item: string): CairnError {
  return invalidParameter(`Invalid order_by clause '${item}'. Could not be parsed.`);
}

/**
 * Parses `name`, `name ASC`, `metrics.rmse desc`, ``metrics.`my metric` DESC``. Direction keywords
 * are case-insensitive. Unlike MLflow, whitespace around the item is ignored.
 */
export function parseOrderByItem(item: string): OrderBySyntax {
  const tokens = tokenize(item);
  const [identifier, direction] = tokens;
  if (!identifier || identifier.kind !== 'identifier' || tokens.length > 2) throw couldNotParse(item);
  if (!direction) return { identifier, ascending: true };
  if (direction.kind === 'keyword' && (direction.normalized === 'ASC' || direction.normalized === 'DESC')) {
    return { identifier, ascending: direction.normalized === 'ASC' };
  }
  if (direction.kind === 'identifier' || direction.kind === 'keyword') {
    throw invalidParameter(`Invalid ordering key in order_by clause '${item}'.`);
  }
  throw couldNotParse(item);
}

/** The error MLflow raises when two items name the same field (it says 500; Cairn says 400). */
export function duplicateOrderByFields(items: readonly string[]): CairnError {
  return invalidParameter(`\`order_by\` contains duplicate fields: ${pyList(items)}`);
}

/**
 * Parses each item in turn with `parseItem`; when `fieldOf` is given, an item naming a field an
 * earlier item named fails the list, as soon as it is reached (as MLflow's stores do).
 */
export function parseOrderByItems<T>(
  items: readonly string[] | null | undefined,
  parseItem: (syntax: OrderBySyntax, item: string) => T,
  fieldOf?: (term: T) => string,
): T[] {
  const list = items ?? [];
  const seen = new Set<string>();
  return list.map((item) => {
    const term = parseItem(parseOrderByItem(item), item);
    if (fieldOf) {
      const field = fieldOf(term);
      if (seen.has(field)) throw duplicateOrderByFields(list);
      seen.add(field);
    }
    return term;
  });
}

/**
 * Parses order_by items with search_runs' entity prefixes but no per-search key rules;
 * a field named twice is refused. Search-specific parsing lives in the grammars.
 */
export function parseOrderBy(items: readonly string[] | null | undefined): OrderTerm[] {
  return parseOrderByItems(
    items,
    ({ identifier, ascending }): OrderTerm => {
      const { entity, key } = splitIdentifier(identifier);
      return { entity: resolveRunEntity(entity), key, ascending };
    },
    (term) => `${term.entity}.${term.key}`,
  );
}
