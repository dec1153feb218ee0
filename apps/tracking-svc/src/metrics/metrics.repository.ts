import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@cairn/nest-common';
import type { HistoryCursor } from './history-page-token';
import type { MetricPoint, PointColumns } from './metric-points';
import { decodePoints, pointColumnsSql } from './metric-points';
import type { SeriesSummary, StepWindow } from './step-sampling';

/** A run as the metrics queries know it: the internal bigint id and the client's run_uuid. */
export interface RunRef {
  id: string;
  uuid: string;
}

const HISTORY_ORDER = 'timestamp, step, value';
const STEP_ORDER = 'step, timestamp, value';

/**
 * Metric history queries. History order (timestamp, step, value) is the primary key's order,
 * so a page is one index range scan; sampled steps are read through the (run_id, key, step) index.
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
   * keyset page), else after skipping `offset` points (a page token from MLflow itself). Left as
   * columns: a page goes out as they are.
   */
  async history(runId: string, key: string, page: { limit?: number; offset: number; after?: HistoryCursor }): Promise<PointColumns | undefined> {
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
    return rows[0];
  }

  /** What metric_series records about the runs' histories of `key` (runs without one are left out). */
  async seriesSummaries(runIds: readonly string[], key: string): Promise<SeriesSummary[]> {
    const { rows } = await this.pool.query<{ run_id: string; points: string; min_step: string; max_step: string; dense: boolean }>(
      `SELECT run_id::text AS run_id, points::text AS points, min_step::text AS min_step, max_step::text AS max_step, dense
       FROM tracking.metric_series WHERE run_id = ANY($1::bigint[]) AND key = $2`,
      [runIds, key],
    );
    return rows.map((r) => ({
      runId: r.run_id,
      points: Number(r.points),
      minStep: Number(r.min_step),
      maxStep: Number(r.max_step),
      dense: r.dense,
    }));
  }

  /** The points at the given (run, step) pairs, per run in step order: index probes only. */
  async pointsAtRunSteps(runIds: readonly string[], steps: readonly number[], key: string): Promise<Map<string, MetricPoint[]>> {
    const { rows } = await this.pool.query<PointColumns & { run_id: string }>(
      `SELECT run_id::text AS run_id, ${pointColumnsSql(STEP_ORDER)}
       FROM (SELECT m.run_id, m.step, m.timestamp, m.value
             FROM unnest($1::bigint[], $2::bigint[]) AS w(run_id, step)
             JOIN tracking.metrics m ON m.run_id = w.run_id AND m.key = $3 AND m.step = w.step) point
       GROUP BY run_id`,
      [runIds, steps, key],
    );
    return new Map(rows.map((row) => [row.run_id, decodePoints(row)]));
  }

  /**
   * MLflow's row-based sample (step-sampling.ts) computed over every point of each run in the
   * window, in MLflow's order: a NaN sorts as the 0 MLflow stores for it, just after a real 0.
   */
  async sampleRanked(
    runIds: readonly string[],
    key: string,
    window: StepWindow | undefined,
    maxResults: number,
  ): Promise<Map<string, MetricPoint[]>> {
    const params: unknown[] = [runIds, key, maxResults];
    const range = window ? `AND step BETWEEN $${params.push(window.start)} AND $${params.push(window.end)}` : '';
    const { rows } = await this.pool.query<PointColumns & { run_id: string }>(
      `SELECT run_id::text AS run_id, ${pointColumnsSql('rn')}
       FROM (
         SELECT *, lag(bucket) OVER (PARTITION BY run_id ORDER BY rn) AS previous
         FROM (
           SELECT run_id, step, timestamp, value,
                  ntile($3) OVER w AS bucket, row_number() OVER w AS rn, count(*) OVER (PARTITION BY run_id) AS n
           FROM tracking.metrics
           WHERE run_id = ANY($1::bigint[]) AND key = $2 ${range}
           WINDOW w AS (PARTITION BY run_id
                        ORDER BY step, timestamp, CASE WHEN value = 'NaN' THEN 0 ELSE value END, value = 'NaN')
         ) bucketed
       ) point
       WHERE (bucket IS DISTINCT FROM previous AND (bucket < $3 OR n <= $3)) OR rn = n
       GROUP BY run_id`,
      params,
    );
    return new Map(rows.map((row) => [row.run_id, decodePoints(row)]));
  }
}
