import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { LoggedModelDatasetFilter, SearchLoggedModelsRequest, SearchLoggedModelsResponse } from '@cairn/contracts';
import { invalidParameter } from '@cairn/contracts';
import { PG_POOL } from '@cairn/nest-common';
import type { SqlOrderTerm } from '@cairn/search-filter';
import { SqlParams, comparisonSql, numericCast, orderBySql } from '@cairn/search-filter';
import { validateMaxResults } from '../common/max-results';
import { parseSearchExperimentIds } from './experiment-ids';
import type { ModelAttribute, ModelClause, ModelOrderTerm } from './logged-model-filter';
import { parseModelFilter, resolveModelOrderBy } from './logged-model-filter';
import { decodeModelPageToken, encodeModelPageToken, searchScope } from './logged-model-page-token';
import { LOGGED_MODEL_COLUMNS, toLoggedModel } from './logged-models.repository';

// Over REST MLflow's default is the proto's 50 (the handler reads the unset field's default); it
// sets no maximum, Cairn the one of its other searches.
const LIMITS = { fallback: 50, max: 50_000 };

const COLUMNS: Record<ModelAttribute, string> = {
  model_id: 'm.model_id',
  name: 'm.name',
  model_type: 'm.model_type',
  status: 'm.status',
  source_run_id: 'm.source_run_id',
  creation_timestamp_ms: 'm.creation_timestamp_ms',
  last_updated_timestamp_ms: 'm.last_updated_timestamp_ms',
};
const CHILD_TABLES = { param: 'tracking.logged_model_params', tag: 'tracking.logged_model_tags' } as const;

/** search_logged_models: the filter grammar, order_by objects and page tokens compiled to one query. */
@Injectable()
export class LoggedModelSearch {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async run(req: SearchLoggedModelsRequest): Promise<SearchLoggedModelsResponse> {
    const datasets = validateDatasets(req.datasets);
    const limit = validateMaxResults(req.max_results || undefined, LIMITS);
    const scope = searchScope(req);
    const offset = req.page_token ? decodeModelPageToken(req.page_token, scope) : 0;
    const clauses = parseModelFilter(req.filter);
    const order = resolveModelOrderBy(req.order_by);

    const params = new SqlParams();
    const where = [
      `m.lifecycle_stage = 'active'`,
      `m.experiment_id = ANY(${params.add(parseSearchExperimentIds(req.experiment_ids), 'bigint[]')})`,
    ];
    const onDatasets = datasetsSql(params, datasets);
    for (const clause of clauses) where.push(compileClause(clause, params, onDatasets));
    if (onDatasets && !clauses.some((c) => c.entity === 'metric')) {
      where.push(`EXISTS (SELECT 1 FROM tracking.logged_model_metrics x WHERE x.model_id = m.model_id AND ${onDatasets})`);
    }
    const { joins, terms } = compileOrder(order, params);
    const sql = `
      SELECT ${LOGGED_MODEL_COLUMNS} FROM tracking.logged_models m ${joins.join(' ')}
      WHERE ${where.join(' AND ')}
      ${orderBySql(terms)}
      LIMIT ${params.add(limit + 1)} OFFSET ${params.add(offset)}`;
    const { rows } = await this.pool.query(sql, params.values);
    const models = rows.slice(0, limit).map(toLoggedModel);
    return rows.length > limit ? { models, next_page_token: encodeModelPageToken(scope, offset + limit) } : { models };
  }
}

function validateDatasets(datasets: readonly LoggedModelDatasetFilter[] | undefined): readonly LoggedModelDatasetFilter[] {
  if (datasets?.some((d) => !d.dataset_name)) {
    throw invalidParameter('`dataset_name` in the `datasets` clause must be specified.');
  }
  return datasets ?? [];
}

/** `(x.dataset_name = $a [AND x.dataset_digest = $b] OR ...)` over metric rows aliased `x`; a digest left out matches any. */
function datasetsSql(params: SqlParams, datasets: readonly LoggedModelDatasetFilter[]): string | undefined {
  if (datasets.length === 0) return undefined;
  const each = datasets.map((d) => {
    const name = `x.dataset_name = ${params.add(d.dataset_name)}`;
    return d.dataset_digest ? `(${name} AND x.dataset_digest = ${params.add(d.dataset_digest)})` : `(${name})`;
  });
  return `(${each.join(' OR ')})`;
}

function compileClause(clause: ModelClause, params: SqlParams, onDatasets: string | undefined): string {
  if (clause.entity === 'attribute') {
    const cast = typeof clause.value === 'number' ? numericCast(clause.value) : undefined;
    return comparisonSql(params, COLUMNS[clause.key], clause.comparator, clause.value, { cast });
  }
  if (clause.entity === 'metric') {
    // Any point of the metric matches, as in MLflow (not only the latest); NaN only matches `!=`.
    const value = comparisonSql(params, 'x.value', clause.comparator, clause.value, { cast: 'double precision', excludeNaN: true });
    return `EXISTS (SELECT 1 FROM tracking.logged_model_metrics x
                    WHERE x.model_id = m.model_id AND x.key = ${params.add(clause.key)} AND ${value}${onDatasets ? ` AND ${onDatasets}` : ''})`;
  }
  const value = comparisonSql(params, 'c.value', clause.comparator, clause.value);
  return `EXISTS (SELECT 1 FROM ${CHILD_TABLES[clause.entity]} c
                  WHERE c.model_id = m.model_id AND c.key = ${params.add(clause.key)} AND ${value})`;
}

/** Ordering by a metric orders by its latest point (by timestamp, then step) on the given dataset. */
function compileOrder(order: readonly ModelOrderTerm[], params: SqlParams): { joins: string[]; terms: SqlOrderTerm[] } {
  const joins: string[] = [];
  const terms = order.map((term, i): SqlOrderTerm => {
    if (term.entity === 'attribute') {
      return { expression: term.key === 'name' ? 'm.name COLLATE "C"' : COLUMNS[term.key], ascending: term.ascending };
    }
    const alias = `o${i}`;
    const dataset = [
      term.datasetName ? ` AND x.dataset_name = ${params.add(term.datasetName)}` : '',
      term.datasetDigest ? ` AND x.dataset_digest = ${params.add(term.datasetDigest)}` : '',
    ].join('');
    joins.push(`LEFT JOIN LATERAL (SELECT x.value FROM tracking.logged_model_metrics x
                 WHERE x.model_id = m.model_id AND x.key = ${params.add(term.key)}${dataset}
                 ORDER BY x.timestamp DESC, x.step DESC, x.value DESC LIMIT 1) ${alias} ON true`);
    return { expression: `${alias}.value`, ascending: term.ascending, nanLast: true };
  });
  return { joins, terms };
}
