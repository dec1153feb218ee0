import type { RunOrderAttribute, RunOrderTerm, SqlParams } from '@cairn/search-filter';
import { orderByTermSql } from '@cairn/search-filter';

// search-runs order_by terms as SQL (MLflow's _get_orderby_clauses): metrics, params and tags
// come in through a LEFT JOIN so runs without the key stay, and sort last in both directions;
// a NaN metric sorts after every number and before a missing one. Strings sort by code point
// (COLLATE "C"), whatever the database's locale, as experiment names do.

export interface OrderColumn {
  /** The value to sort by, over `tracking.runs r` and this term's join. */
  expression: string;
  ascending: boolean;
  /** `LEFT JOIN ...` bringing in a metric, param or tag value; absent for attributes. */
  join?: string;
  /** For a metric term: the joined row's alias and the key's placeholder. */
  metric?: { alias: string; key: string };
  collate: boolean;
  nullable: boolean;
  nanLast: boolean;
}

const ATTRIBUTES: Record<RunOrderAttribute, { column: string; collate: boolean; nullable: boolean }> = {
  run_id: { column: 'r.run_uuid', collate: false, nullable: false }, // hex: any collation agrees, and the index applies
  run_name: { column: 'r.name', collate: true, nullable: false },
  user_id: { column: 'r.user_id', collate: true, nullable: true },
  status: { column: 'r.status', collate: true, nullable: false },
  artifact_uri: { column: 'r.artifact_uri', collate: true, nullable: false },
  start_time: { column: 'r.start_time', collate: false, nullable: false },
  end_time: { column: 'r.end_time', collate: false, nullable: true },
};

const TABLES = { metric: 'tracking.latest_metrics', param: 'tracking.params', tag: 'tracking.tags' } as const;

/** One column per term; term i joins as `o<i>` (1-based). */
export function orderColumns(order: readonly RunOrderTerm[], params: SqlParams): OrderColumn[] {
  return order.map((term, i) => {
    if (term.entity === 'attribute') {
      const { column, collate, nullable } = ATTRIBUTES[term.key];
      return { expression: column, ascending: term.ascending, collate, nullable, nanLast: false };
    }
    const alias = `o${i + 1}`;
    const key = params.add(term.key);
    const join = `LEFT JOIN ${TABLES[term.entity]} ${alias} ON ${alias}.run_id = r.run_id AND ${alias}.key = ${key}`;
    const isMetric = term.entity === 'metric';
    return {
      expression: `${alias}.value`,
      ascending: term.ascending,
      join,
      ...(isMetric && { metric: { alias, key } }),
      collate: !isMetric,
      nullable: true,
      nanLast: isMetric,
    };
  });
}

/**
 * `expr ASC|DESC` for one column, over `expression` (or another expression of the same value,
 * such as a projected copy). Columns that cannot be NULL carry no NULLS clause, so that
 * `start_time DESC, run_uuid` matches the runs index.
 */
export function orderTermSql(column: OrderColumn, expression = column.expression): string {
  const value = column.collate ? `${expression} COLLATE "C"` : expression;
  if (!column.nullable) return `${value} ${column.ascending ? 'ASC' : 'DESC'}`;
  return orderByTermSql({ expression: value, ascending: column.ascending, nanLast: column.nanLast });
}

/** The terms of an ORDER BY, optionally over other expressions of the same values. */
export function orderTermsSql(columns: readonly OrderColumn[], expressions?: readonly string[]): string[] {
  return columns.map((c, i) => orderTermSql(c, expressions?.[i]));
}

export function orderBySql(terms: readonly string[]): string {
  return terms.length === 0 ? '' : `ORDER BY ${terms.join(', ')}`;
}
