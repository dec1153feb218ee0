import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { ModelVersion, SearchModelVersionsRequest, SearchModelVersionsResponse } from '@cairn/contracts';
import { PG_POOL } from '@cairn/nest-common';
import type { ModelVersionClause, ModelVersionOrderTerm } from '@cairn/search-filter';
import { comparisonSql, decodePageToken, modelVersionsGrammar, orderBySql, SqlParams } from '@cairn/search-filter';
import { validateMaxResults } from '../common/limits';
import { asksForPrompts, IS_PROMPT_TAG_KEY } from '../common/prompts';
import { toModelVersion, versionJson } from '../common/registry-json.sql';
import { cutPage, rowsToFetch } from '../common/search-page';
import { DELETED_INTERNAL } from '../common/stages';

const LIMITS = { fallback: 10_000, max: 200_000 };
// The client's default page (10,000) in one query and, up to 4 MB of JSON, one message (NATS
// carries 8 MB: scripts/infra/nats.sh): each further chunk re-runs the query.
const CHUNK = { rows: 10_000, bytes: 4 * 1024 * 1024 };
const COLUMNS: Record<ModelVersionClause['key'] | ModelVersionOrderTerm['key'], string> = {
  name: 'm.name',
  run_id: 'v.run_id',
  source_path: 'v.source',
  version_number: 'v.version',
  creation_timestamp: 'v.creation_time',
  last_updated_timestamp: 'v.last_updated_time',
};

/**
 * search-model-versions: the grammar of reference §2.5 compiled to one query over live
 * versions. A large page is answered in several messages (see SearchContinuation).
 */
@Injectable()
export class ModelVersionSearch {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async run(req: SearchModelVersionsRequest): Promise<SearchModelVersionsResponse> {
    const limit = validateMaxResults(req.max_results, LIMITS);
    const clauses = modelVersionsGrammar.parseFilter(req.filter);
    const order = modelVersionsGrammar.resolveOrderBy(req.order_by);
    const offset = decodePageToken(req.page_token);

    const params = new SqlParams();
    const where = [`v.current_stage <> ${params.add(DELETED_INTERNAL)}`];
    const prompts = asksForPrompts(clauses);
    for (const clause of clauses) {
      if (!prompts && clause.entity === 'tag' && clause.key === IS_PROMPT_TAG_KEY) continue;
      where.push(compileClause(clause, params));
    }
    if (!prompts) {
      where.push(`v.model_id NOT IN (SELECT p.model_id FROM registry.model_version_tags p
                                     WHERE p.key = ${params.add(IS_PROMPT_TAG_KEY)} AND p.value = 'true')`);
    }
    // as text: parsed once here, and its length is the row's size in the message
    const { rows } = await this.pool.query<{ mv: string }>(
      `SELECT ${versionJson('v', 'm.name')}::text AS mv
       FROM registry.model_versions v JOIN registry.registered_models m ON m.model_id = v.model_id
       WHERE ${where.join(' AND ')}
       ${orderBySql(order.map((t) => ({ expression: COLUMNS[t.key], ascending: t.ascending })))}
       LIMIT ${params.add(rowsToFetch(limit, CHUNK))} OFFSET ${params.add(offset)}`,
      params.values,
    );
    const versions = rows.map((r) => toModelVersion(JSON.parse(r.mv) as Record<string, unknown>));
    const page = cutPage<ModelVersion>(versions, offset, limit, CHUNK, rows.map((r) => r.mv.length));
    return { model_versions: page.items, next_page_token: page.next_page_token, continuation: page.continuation };
  }
}

function compileClause(clause: ModelVersionClause, params: SqlParams): string {
  if (clause.entity === 'tag') {
    return `EXISTS (SELECT 1 FROM registry.model_version_tags t
                    WHERE t.model_id = v.model_id AND t.version = v.version AND t.key = ${params.add(clause.key)}
                      AND ${comparisonSql(params, 't.value', clause.comparator, clause.value)})`;
  }
  const cast = clause.key === 'version_number' ? 'bigint' : Array.isArray(clause.value) ? 'text[]' : undefined;
  return comparisonSql(params, COLUMNS[clause.key], clause.comparator, clause.value, { cast });
}
