import type { LifecycleStage } from '@cairn/contracts';
import type { RunClause, RunOrderTerm } from '@cairn/search-filter';
import { SqlParams } from '@cairn/search-filter';
import { runFilterSql } from './run-filter.sql';
import type { OrderColumn } from './run-order.sql';
import { orderBySql, orderColumns, orderTermsSql } from './run-order.sql';

export interface RunSearchQuery {
  /** Canonical experiment ids; at least one. */
  experimentIds: readonly string[];
  stages: readonly LifecycleStage[];
  clauses: readonly RunClause[];
  /** The full order, tie-breakers included (runsGrammar.resolveOrderBy). */
  order: readonly RunOrderTerm[];
  /** Rows to return (a page, plus one to learn whether another follows). */
  limit: number;
  offset: number;
}

export interface CompiledQuery {
  text: string;
  values: unknown[];
}

/**
 * Up to this many rows before the page's end, a search ordered first by a metric reads that
 * metric's `(key, value)` index in order; past it, one join and sort of the whole scope is cheaper.
 */
export const METRIC_INDEX_WALK_MAX_ROWS = 10_000;

const NAN = `'NaN'::double precision`;

/**
 * One parameterised query selecting the internal run ids of one page, in order. Experiment and
 * lifecycle scope are equalities when single, so the default order reads the runs index in order.
 */
export function compileRunSearch(query: RunSearchQuery): CompiledQuery {
  const params = new SqlParams();
  const where = scopeSql(query, params);
  query.clauses.forEach((clause, i) => where.push(runFilterSql(clause, params, `f${i + 1}`)));
  const columns = orderColumns(query.order, params);
  const [first, ...rest] = columns;
  const text =
    first?.metric && query.offset + query.limit <= METRIC_INDEX_WALK_MAX_ROWS
      ? metricFirstSql(first.metric, first.ascending, rest, where, query, params)
      : plainSql(columns, where, query, params);
  return { text, values: params.values };
}

function scopeSql({ experimentIds, stages }: RunSearchQuery, params: SqlParams): string[] {
  const scope = [
    experimentIds.length === 1
      ? `r.experiment_id = ${params.add(experimentIds[0], 'bigint')}`
      : `r.experiment_id = ANY(${params.add(experimentIds, 'bigint[]')})`,
  ];
  // Every run is in one of the two stages, so both together need no condition.
  if (stages.length === 1) scope.push(`r.lifecycle_stage = ${params.add(stages[0])}`);
  return scope;
}

function plainSql(columns: OrderColumn[], where: string[], query: RunSearchQuery, params: SqlParams): string {
  return `SELECT r.run_id FROM tracking.runs r${joinsSql(columns)}
    WHERE ${where.join('\n      AND ')}
    ${orderBySql(orderTermsSql(columns))}
    LIMIT ${params.add(query.limit)} OFFSET ${params.add(query.offset)}`;
}

/**
 * Ordered first by a metric: runs with a number, runs with NaN and runs without the metric are
 * three groups, in that order whatever the direction. The first two read `(key, value)` in order
 * and stop at the page's end; the third is read only for the rows the first two leave unfilled
 * (none on early pages), since finding the runs that lack a key means scanning the whole scope.
 * Each branch projects its sort values (k1, k2, ...) for the final ordering of at most 3n rows.
 */
function metricFirstSql(
  { alias, key }: { alias: string; key: string },
  ascending: boolean,
  rest: OrderColumn[],
  where: string[],
  query: RunSearchQuery,
  params: SqlParams,
): string {
  const direction = ascending ? 'ASC' : 'DESC';
  const upTo = params.add(query.offset + query.limit);
  const conditions = where.join('\n        AND ');
  const restTerms = orderTermsSql(rest);
  const select = (group: number, value: string) =>
    [`r.run_id`, `${group} AS g`, `${value} AS k1`, ...rest.map((c, i) => `${c.expression} AS k${i + 2}`)].join(', ');
  const withMetric = `FROM tracking.latest_metrics ${alias} JOIN tracking.runs r ON r.run_id = ${alias}.run_id${joinsSql(rest)}`;
  const pageTerms = ['page.g', `page.k1 ${direction}`, ...orderTermsSql(rest, rest.map((_, i) => `page.k${i + 2}`))];
  return `WITH present AS MATERIALIZED (
      (SELECT ${select(0, `${alias}.value`)} ${withMetric}
        WHERE ${alias}.key = ${key} AND ${alias}.value < ${NAN}
        AND ${conditions}
        ${orderBySql([`${alias}.value ${direction}`, ...restTerms])} LIMIT ${upTo})
      UNION ALL
      (SELECT ${select(1, `${alias}.value`)} ${withMetric}
        WHERE ${alias}.key = ${key} AND ${alias}.value = ${NAN}
        AND ${conditions}
        ${orderBySql(restTerms)} LIMIT ${upTo}))
    SELECT run_id FROM (
      SELECT * FROM present
      UNION ALL
      (SELECT ${select(2, 'NULL::double precision')} FROM tracking.runs r${joinsSql(rest)}
        WHERE NOT EXISTS (SELECT 1 FROM tracking.latest_metrics ${alias} WHERE ${alias}.run_id = r.run_id AND ${alias}.key = ${key})
        AND ${conditions}
        ${orderBySql(restTerms)} LIMIT greatest(0, ${upTo} - (SELECT count(*) FROM present)))) page
    ${orderBySql(pageTerms)}
    LIMIT ${params.add(query.limit)} OFFSET ${params.add(query.offset)}`;
}

function joinsSql(columns: readonly OrderColumn[]): string {
  return columns.map((c) => (c.join ? `\n      ${c.join}` : '')).join('');
}
