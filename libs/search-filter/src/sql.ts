import type { ClauseValue, Comparator } from './types';

// Building blocks for PostgreSQL WHERE and ORDER BY fragments. Values always travel as
// parameters ($1, $2, ...); column expressions are the caller's trusted SQL. PostgreSQL's LIKE is
// case-sensitive and ILIKE is not, which is MLflow's contract; patterns pass through unchanged
// (% and _ are wildcards, backslash escapes), as MLflow's SQLAlchemy store does.

/** Collects parameter values and hands out their placeholders. */
export class SqlParams {
  private readonly collected: unknown[];

  /** Continue numbering after `existing` (the array is copied, not mutated). */
  constructor(existing: readonly unknown[] = []) {
    this.collected = [...existing];
  }

  /** Adds a value and returns its placeholder, with an optional cast: `$3`, `$3::bigint`. */
  add(value: unknown, cast?: string): string {
    this.collected.push(value);
    const placeholder = `$${this.collected.length}`;
    return cast ? `${placeholder}::${cast}` : placeholder;
  }

  /** The values in placeholder order, for `pg`'s `query(text, values)`. */
  get values(): unknown[] {
    return [...this.collected];
  }
}

export interface ComparisonOptions {
  /** A cast for the parameter, e.g. `bigint`, `double precision`, `text[]`. */
  cast?: string;
  /**
   * For `double precision` columns holding NaN: PostgreSQL treats NaN as equal to itself and
   * greater than every number, while MLflow's NaN satisfies no comparison but `!=`. With this
   * set, NaN rows are excluded from every comparator except `!=`.
   */
  excludeNaN?: boolean;
}

const SQL_OPERATORS: Partial<Record<Comparator, string>> = {
  '=': '=',
  '!=': '<>',
  '>': '>',
  '>=': '>=',
  '<': '<',
  '<=': '<=',
  LIKE: 'LIKE',
  ILIKE: 'ILIKE',
};

function assertValueShape(comparator: Comparator, value: ClauseValue): void {
  const wantsList = comparator === 'IN' || comparator === 'NOT IN';
  const wantsNull = comparator === 'IS NULL' || comparator === 'IS NOT NULL';
  if (wantsList !== Array.isArray(value) || wantsNull !== (value === null)) {
    throw new TypeError(`comparator ${comparator} cannot take the value ${JSON.stringify(value)}`);
  }
}

/**
 * `column <op> $n` for one comparison. `!=` is `<>`, so a NULL column never matches, like a
 * missing tag in MLflow. IN / NOT IN bind the whole list as one array parameter (`= ANY($n)`).
 */
export function comparisonSql(
  params: SqlParams,
  column: string,
  comparator: Comparator,
  value: ClauseValue,
  options: ComparisonOptions = {},
): string {
  assertValueShape(comparator, value);
  let fragment: string;
  if (comparator === 'IS NULL' || comparator === 'IS NOT NULL') {
    fragment = `${column} ${comparator}`;
  } else if (comparator === 'IN') {
    fragment = `${column} = ANY(${params.add(value, options.cast)})`;
  } else if (comparator === 'NOT IN') {
    fragment = `NOT (${column} = ANY(${params.add(value, options.cast)}))`;
  } else {
    fragment = `${column} ${SQL_OPERATORS[comparator]} ${params.add(value, options.cast)}`;
  }
  if (options.excludeNaN && comparator !== '!=') {
    return `(${fragment} AND ${column} <> 'NaN'::double precision)`;
  }
  return fragment;
}

/**
 * `(keyColumn = $k AND <valueColumn comparison>)`: one condition on a key/value row (a tag, a
 * param, a latest metric), to put inside the repository's EXISTS or JOIN.
 */
export function keyValueComparisonSql(
  params: SqlParams,
  columns: { key: string; value: string },
  key: string,
  comparator: Comparator,
  value: ClauseValue,
  options: ComparisonOptions = {},
): string {
  const keyCondition = `${columns.key} = ${params.add(key)}`;
  return `(${keyCondition} AND ${comparisonSql(params, columns.value, comparator, value, options)})`;
}

/** The cast for a numeric filter value on an integer column: `bigint` when whole, else `double precision`. */
export function numericCast(value: number): 'bigint' | 'double precision' {
  return Number.isInteger(value) ? 'bigint' : 'double precision';
}

export interface SqlOrderTerm {
  /** A trusted column expression. */
  expression: string;
  ascending: boolean;
  /** For metric values: NaN sorts after numbers and before NULLs in both directions, as in MLflow. */
  nanLast?: boolean;
}

/** `expr ASC NULLS LAST` / `expr DESC NULLS LAST`; NULLs (a run without the metric) always last. */
export function orderByTermSql(term: SqlOrderTerm): string {
  const direction = term.ascending ? 'ASC' : 'DESC';
  const main = `${term.expression} ${direction} NULLS LAST`;
  // PostgreSQL already sorts NaN above every number, so only a descending sort needs the help.
  if (term.nanLast && !term.ascending) {
    return `(${term.expression} = 'NaN'::double precision) ASC NULLS LAST, ${main}`;
  }
  return main;
}

/** `ORDER BY a ASC NULLS LAST, b DESC NULLS LAST`, or '' for no terms. */
export function orderBySql(terms: readonly SqlOrderTerm[]): string {
  return terms.length === 0 ? '' : `ORDER BY ${terms.map(orderByTermSql).join(', ')}`;
}

/** A double-quoted SQL identifier, for names that are not literals in the repository's code. */
export function quoteIdentifier(name: string): string {
  if (name.includes('\u0000')) throw new TypeError('identifier contains a NUL character');
  return `"${name.replace(/"/g, '""')}"`;
}

/** `LIMIT $n OFFSET $m`, both as parameters. */
export function limitOffsetSql(params: SqlParams, limit: number, offset: number): string {
  return `LIMIT ${params.add(limit)} OFFSET ${params.add(offset)}`;
}
