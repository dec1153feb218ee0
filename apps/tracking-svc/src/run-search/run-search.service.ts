import { Injectable } from '@nestjs/common';
import type { SearchRunsRequest, SearchRunsResponse } from '@cairn/contracts';
import { decodePageToken, encodePageToken, runsGrammar } from '@cairn/search-filter';
import { validateMaxResults } from '../common/max-results';
import { VIEW_STAGES } from '../common/view-type';
import { RunReader } from '../runs/run-reader';
import { parseExperimentIds } from './experiment-ids';
import { RunSearchRepository } from './run-search.repository';

const LIMITS = { fallback: 1000, max: 50_000 };

/**
 * search-runs as MLflow 3.x's SQL store does it (`_search_runs`): arguments checked in its order
 * (max_results, filter, order_by, page token, experiment ids), one query for the page's run ids,
 * then the full runs. One extra row is read, so `next_page_token` comes only when a run follows.
 */
@Injectable()
export class RunSearchService {
  constructor(
    private readonly repository: RunSearchRepository,
    private readonly runs: RunReader,
  ) {}

  async search(req: SearchRunsRequest): Promise<SearchRunsResponse> {
    const limit = validateMaxResults(req.max_results, LIMITS);
    const clauses = runsGrammar.parseFilter(req.filter);
    const order = runsGrammar.resolveOrderBy(req.order_by);
    const offset = decodePageToken(req.page_token);
    const experimentIds = parseExperimentIds(req.experiment_ids ?? []);
    if (experimentIds.length === 0) return { runs: [] };

    const stages = VIEW_STAGES[req.run_view_type ?? 'ACTIVE_ONLY'];
    const ids = await this.repository.pageOfRunIds({ experimentIds, stages, clauses, order, limit: limit + 1, offset });
    const runs = await this.runs.byIds(ids.slice(0, limit));
    return ids.length > limit ? { runs, next_page_token: encodePageToken(offset + limit) } : { runs };
  }
}
