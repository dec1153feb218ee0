import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { SearchExperimentsRequest, SearchExperimentsResponse } from '@cairn/contracts';
import { PG_POOL } from '@cairn/nest-common';
import type { ExperimentClause, ExperimentOrderTerm } from '@cairn/search-filter';
import { SqlParams, comparisonSql, decodePageToken, encodePageToken, experimentsGrammar, orderBySql } from '@cairn/search-filter';
import { validateMaxResults } from '../common/max-results';
import { VIEW_STAGES } from '../common/view-type';
import { EXPERIMENT_COLUMNS, toExperiment } from './experiments.repository';

const LIMITS = { fallback: 1000, max: 50_000 };

const ATTRIBUTE_COLUMNS: Record<ExperimentOrderTerm['key'], string> = {
  name: 'e.name',
  experiment_id: 'e.experiment_id',
  creation_time: 'e.creation_time',
  last_update_time: 'e.last_update_time',
};


/** search-experiments: MLflow's filter grammar compiled to one parameterized query. */
@Injectable()
export class ExperimentSearch {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async run(req: SearchExperimentsRequest): Promise<SearchExperimentsResponse> {
    const limit = validateMaxResults(req.max_results, LIMITS);
    const offset = decodePageToken(req.page_token);
    const clauses = experimentsGrammar.parseFilter(req.filter);
    const order = experimentsGrammar.resolveOrderBy(req.order_by);

    const params = new SqlParams();
    const where = [`e.lifecycle_stage = ANY(${params.add(VIEW_STAGES[req.view_type ?? 'ACTIVE_ONLY'])})`];
    for (const clause of clauses) where.push(compileClause(clause, params));
    const sql = `
      SELECT ${EXPERIMENT_COLUMNS} FROM tracking.experiments e
      WHERE ${where.join(' AND ')}
      ${compileOrder(order)}
      LIMIT ${params.add(limit + 1)} OFFSET ${params.add(offset)}`;
    const { rows } = await this.pool.query(sql, params.values);
    const page = rows.slice(0, limit).map(toExperiment);
    return rows.length > limit ? { experiments: page, next_page_token: encodePageToken(offset + limit) } : { experiments: page };
  }
}


function compileClause(clause: ExperimentClause, params: SqlParams): string {
  if (clause.entity === 'tag') {
    const value = comparisonSql(params, 't.value', clause.comparator, clause.value);
    const exists = `EXISTS (SELECT 1 FROM tracking.experiment_tags t
                            WHERE t.experiment_id = e.experiment_id AND t.key = ${params.add(clause.key)}`;
    if (clause.comparator === 'IS NULL') return `NOT ${exists})`;
    if (clause.comparator === 'IS NOT NULL') return `${exists})`;
    return `${exists} AND ${value})`;
  }
  const cast = clause.key === 'experiment_id' ? (Array.isArray(clause.value) ? 'bigint[]' : 'bigint') : undefined;
  return comparisonSql(params, ATTRIBUTE_COLUMNS[clause.key], clause.comparator, clause.value, { cast });
}

function compileOrder(order: readonly ExperimentOrderTerm[]): string {
  return orderBySql(
    order.map((t) => ({ expression: t.key === 'name' ? 'e.name COLLATE "C"' : ATTRIBUTE_COLUMNS[t.key], ascending: t.ascending })),
  );
}
