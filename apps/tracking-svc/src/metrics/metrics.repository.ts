import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@cairn/nest-common';
import type { HistoryCursor } from './history-page-token';
import type { MetricPoint, PointColumns } from './metric-points';
import { decodePoints, pointColumnsSql } from './metric-points';

/** A run as the metrics queries know it: the internal bigint id and the client's run_uuid. */
export interface RunRef {
  id: string;
  uuid: string;
}

export interface StepBounds {
  runId: string;
  min: number;
  max: number;
}

export interface StepWindow {
  start: number;
  end: number;
}

const HISTORY_ORDER = 'timestamp, step, value';
const STEP_ORDER = 'step, timestamp, value';

/**
 * Metric history queries. History order (timestamp, step, value) is the primary key's order,
 * so a page is one index range scan; step windows use the (run_id, key, step) index.
 */
@Injectable()
export class MetricsRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async findRuns(uuids: readonly string[]): Promise<RunRef[]> {
    if (uuids.length === 0) return [];
    const { rows } = await this.pool.query<RunRef>(
      'SELECT run_id::text AS id, run_uuid AS uuid FROM tracking.runs WHERE run_uuid = ANY($1::bpchar[])',
      [uuids],
    );
    return rows;
  }

  /**
   * Up to `limit` points (all when undefined) in history order: after `after` when given (a
   * keyset page), else after skipping `offset` points (a page token from MLflow itself).
   */
  async history(runId: string, key: string, page: { limit?: number; offset: number; after?: HistoryCursor }): Promise<MetricPoint[]> {
    const params: unknown[] = [runId, key];
    let range = '';
    if (page.after) {
      params.push(page.after.timestamp, page.after.step, page.after.value);
      range = 'AND (timestamp, step, value) > ($3::bigint, $4::bigint, $5::float8)';
    }
    const limit = page.limit === undefined ? '' : `LIMIT $${params.push(page.limit)}`;
    const offset = !page.after && page.offset > 0 ? `OFFSET $${params.push(page.offset)}` : '';
    const { rows } = await this.pool.query<PointColumns>(
      `SELECT ${pointColumnsSql(HISTORY_ORDER)}
       FROM (SELECT timestamp, step, value FROM tracking.metrics
             WHERE run_id = $1 AND key = $2 ${range}
             ORDER BY ${HISTORY_ORDER} ${limit} ${offset}) page`,
      params,
    );
    return decodePoints(rows[0]);
  }

  /** Each run's first and last step of `key` (runs that never logged it are left out). */
  async stepBounds(runIds: readonly string[], key: string): Promise<StepBounds[]> {
    const { rows } = await this.pool.query<{ run_id: string; min: string; max: string }>(
      `SELECT r.id::text AS run_id, first.step AS min, last.step AS max
       FROM unnest($1::bigint[]) AS r(id)
       CROSS JOIN LATERAL (SELECT step FROM tracking.metrics WHERE run_id = r.id AND key = $2 ORDER BY step LIMIT 1) first
       CROSS JOIN LATERAL (SELECT step FROM tracking.metrics WHERE run_id = r.id AND key = $2 ORDER BY step DESC LIMIT 1) last`,
      [runIds, key],
    );
    return rows.map((r) => ({ runId: r.run_id, min: Number(r.min), max: Number(r.max) }));
  }

  /** How many points the runs logged in the window, counting no further than `atMost`. */
  async countInWindow(runIds: readonly string[], key: string, window: StepWindow, atMost: number): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (
         SELECT 1 FROM tracking.metrics
         WHERE run_id = ANY($1::bigint[]) AND key = $2 AND step BETWEEN $3 AND $4 LIMIT $5) points`,
      [runIds, key, window.start, window.end, atMost],
    );
    return rows[0]!.n;
  }

  /**
   * MLflow's step sampling, exactly: rank the distinct steps the runs logged in the window and
   * keep ranks trunc(i * (n / maxResults)) for i < maxResults, and the last (all of them when
   * n <= maxResults). float8 arithmetic is Python's; see step-sampling.ts. Reads every point in
   * the window, so the caller bounds how many there are.
   */
  async sampleStepsExactly(runIds: readonly string[], key: string, window: StepWindow, maxResults: number): Promise<number[]> {
    const { rows } = await this.pool.query<{ step: string }>(
      `WITH logged AS MATERIALIZED (
         SELECT DISTINCT step FROM tracking.metrics
         WHERE run_id = ANY($1::bigint[]) AND key = $2 AND step BETWEEN $3 AND $4
       ),
       total AS (SELECT count(*) AS n FROM logged),
       ranked AS (SELECT step, row_number() OVER (ORDER BY step) - 1 AS rank FROM logged),
       picked AS (
         SELECT trunc(i * (total.n::float8 / $5))::bigint AS rank FROM total, generate_series(0, $5 - 1) AS i
         UNION SELECT total.n - 1 FROM total
       )
       SELECT ranked.step FROM ranked, total
       WHERE total.n <= $5 OR ranked.rank IN (SELECT rank FROM picked)`,
      [runIds, key, window.start, window.end, maxResults],
    );
    return rows.map((r) => Number(r.step));
  }

  /** The first and last step any of the runs logged in the window, or undefined if none did. */
  async loggedRange(runIds: readonly string[], key: string, window: StepWindow): Promise<{ first: number; last: number } | undefined> {
    const { rows } = await this.pool.query<{ first: string | null; last: string | null }>(
      `SELECT min(first.step) AS first, max(last.step) AS last
       FROM unnest($1::bigint[]) AS r(id)
       CROSS JOIN LATERAL (SELECT step FROM tracking.metrics WHERE run_id = r.id AND key = $2
                           AND step BETWEEN $3 AND $4 ORDER BY step LIMIT 1) first
       CROSS JOIN LATERAL (SELECT step FROM tracking.metrics WHERE run_id = r.id AND key = $2
                           AND step BETWEEN $3 AND $4 ORDER BY step DESC LIMIT 1) last`,
      [runIds, key, window.start, window.end],
    );
    const { first, last } = rows[0]!;
    return first === null || last === null ? undefined : { first: Number(first), last: Number(last) };
  }

  /** For each candidate, the first step at or after it (and at most `last`) that any run logged. */
  async nextLoggedSteps(runIds: readonly string[], key: string, candidates: readonly number[], last: number): Promise<number[]> {
    const { rows } = await this.pool.query<{ step: string }>(
      `SELECT DISTINCT next.step FROM unnest($3::bigint[]) AS c(step)
       CROSS JOIN LATERAL (
         SELECT min(found.step) AS step FROM unnest($1::bigint[]) AS r(id)
         CROSS JOIN LATERAL (SELECT step FROM tracking.metrics WHERE run_id = r.id AND key = $2
                             AND step >= c.step AND step <= $4 ORDER BY step LIMIT 1) found
       ) next
       WHERE next.step IS NOT NULL`,
      [runIds, key, candidates, last],
    );
    return rows.map((r) => Number(r.step));
  }

  /**
   * The points at `steps`, per requested run in the order given (a run asked for twice comes
   * twice, as in MLflow), each run's in (step, timestamp, value) order and at most `perRun`.
   */
  async pointsAtSteps(runIds: readonly string[], key: string, steps: readonly number[], perRun: number): Promise<MetricPoint[][]> {
    const { rows } = await this.pool.query<PointColumns & { position: number }>(
      `SELECT r.position::int AS position, ${pointColumnsSql(STEP_ORDER)}
       FROM unnest($1::bigint[]) WITH ORDINALITY AS r(id, position)
       CROSS JOIN LATERAL (
         SELECT step, timestamp, value FROM tracking.metrics
         WHERE run_id = r.id AND key = $2 AND step = ANY($3::bigint[])
         ORDER BY ${STEP_ORDER} LIMIT $4
       ) point
       GROUP BY r.position`,
      [runIds, key, steps, perRun],
    );
    const byRun = runIds.map((): MetricPoint[] => []);
    for (const row of rows) byRun[row.position - 1] = decodePoints(row);
    return byRun;
  }
}
