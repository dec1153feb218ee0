import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@cairn/nest-common';
import type { RunSearchQuery } from './run-search.query';
import { compileRunSearch } from './run-search.query';

@Injectable()
export class RunSearchRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** The internal ids of the runs on one page, in order. */
  async pageOfRunIds(query: RunSearchQuery): Promise<string[]> {
    const { text, values } = compileRunSearch(query);
    const { rows } = await this.pool.query<{ run_id: string }>(text, values);
    return rows.map((row) => row.run_id);
  }
}
