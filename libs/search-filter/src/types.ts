/** What a filter or order_by identifier names: `metrics.x`, `params.x`, `tags.x`, a bare attribute, `datasets.x`. */
export type Entity = 'attribute' | 'metric' | 'param' | 'tag' | 'dataset';

/** Comparators, upper-cased; `IS NULL` / `IS NOT NULL` take no value (MLflow 3.x, tags and params). */
export type Comparator =
  | '='
  | '!='
  | '>'
  | '>='
  | '<'
  | '<='
  | 'LIKE'
  | 'ILIKE'
  | 'IN'
  | 'NOT IN'
  | 'IS NULL'
  | 'IS NOT NULL';

export type NumericComparator = '=' | '!=' | '>' | '>=' | '<' | '<=';
export type StringComparator = '=' | '!=' | 'LIKE' | 'ILIKE';
export type ListComparator = 'IN' | 'NOT IN';
export type NullComparator = 'IS NULL' | 'IS NOT NULL';

export type ClauseValue = string | number | string[] | null;

/** One `AND`-ed condition. `value` is a string, a number, a list (IN/NOT IN) or null (IS [NOT] NULL). */
export interface Clause {
  entity: Entity;
  key: string;
  comparator: Comparator;
  value: ClauseValue;
}

/** One `order_by` item. */
export interface OrderTerm {
  entity: Entity;
  key: string;
  ascending: boolean;
}

export type SearchKind = 'runs' | 'experiments' | 'registered_models' | 'model_versions';

/** A search's filter and order_by rules, with MLflow's messages and normalised keys. */
export interface SearchGrammar<TClause, TOrder> {
  readonly kind: SearchKind;
  /** Parses and validates a filter string; empty or absent means no clause. */
  parseFilter(filter: string | null | undefined): TClause[];
  /** Parses and validates the caller's order_by items only. */
  parseOrderBy(orderBy: readonly string[] | null | undefined): TOrder[];
  /** The full ordering MLflow applies: the caller's items (or MLflow's default) plus its tie-breakers. */
  resolveOrderBy(orderBy: readonly string[] | null | undefined): TOrder[];
}
