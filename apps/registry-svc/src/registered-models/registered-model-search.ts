import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { RegisteredModel, SearchRegisteredModelsRequest, SearchRegisteredModelsResponse } from '@cairn/contracts';
import { PG_POOL } from '@cairn/nest-common';
import type { RegisteredModelClause, RegisteredModelOrderTerm } from '@cairn/search-filter';
import { comparisonSql, decodePageToken, orderBySql, registeredModelsGrammar, SqlParams } from '@cairn/search-filter';
import { validateMaxResults } from '../common/limits';
import { asksForPrompts, IS_PROMPT_TAG_KEY } from '../common/prompts';
import { modelJson, toRegisteredModel } from '../common/registry-json.sql';
import { cutPage, rowsToFetch } from '../common/search-page';

const LIMITS = { fallback: 100, max: 1000 };
const CHUNK = { rows: 250, bytes: 512 * 1024 };
const ORDER_COLUMNS: Record<RegisteredModelOrderTerm['key'], string> = {
  name: 'm.name',
  last_updated_timestamp: 'm.last_updated_time',
};

/** search-registered-models: the filter grammar of reference §2.4 compiled to one query. */
@Injectable()
export class RegisteredModelSearch {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async run(req: SearchRegisteredModelsRequest): Promise<SearchRegisteredModelsResponse> {
    const limit = validateMaxResults(req.max_results, LIMITS);
    const clauses = registeredModelsGrammar.parseFilter(req.filter);
    const order = registeredModelsGrammar.resolveOrderBy(req.order_by);
    const offset = decodePageToken(req.page_token);

    const params = new SqlParams();
    const where = ['TRUE'];
    const prompts = asksForPrompts(clauses);
    for (const clause of clauses) {
      if (!prompts && clause.entity === 'tag' && clause.key === IS_PROMPT_TAG_KEY) continue;
      where.push(compileClause(clause, params));
    }
    if (!prompts) {
      where.push(`m.model_id NOT IN (SELECT p.model_id FROM registry.registered_model_tags p
                                     WHERE p.key = ${params.add(IS_PROMPT_TAG_KEY)} AND p.value = 'true')`);
    }
    const { rows } = await this.pool.query<{ rm: string }>(
      `SELECT ${modelJson('m')}::text AS rm FROM registry.registered_models m
       WHERE ${where.join(' AND ')}
       ${orderBySql(order.map((t) => ({ expression: ORDER_COLUMNS[t.key], ascending: t.ascending })))}
       LIMIT ${params.add(rowsToFetch(limit, CHUNK))} OFFSET ${params.add(offset)}`,
      params.values,
    );
    const models = rows.map((r) => toRegisteredModel(JSON.parse(r.rm) as Record<string, unknown>));
    const page = cutPage<RegisteredModel>(models, offset, limit, CHUNK, rows.map((r) => r.rm.length));
    return { registered_models: page.items, next_page_token: page.next_page_token, continuation: page.continuation };
  }
}

function compileClause(clause: RegisteredModelClause, params: SqlParams): string {
  if (clause.entity === 'attribute') return comparisonSql(params, 'm.name', clause.comparator, clause.value);
  return `EXISTS (SELECT 1 FROM registry.registered_model_tags t
                  WHERE t.model_id = m.model_id AND t.key = ${params.add(clause.key)}
                    AND ${comparisonSql(params, 't.value', clause.comparator, clause.value)})`;
}
