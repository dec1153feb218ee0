import { Injectable } from '@nestjs/common';
import type {
  GetMetricHistoryBulkIntervalRequest,
  GetMetricHistoryBulkRequest,
  GetMetricHistoryRequest,
  GetMetricHistoryResponse,
  Metric,
  MetricWithRunId,
  MetricsWithRunIdResponse,
} from '@cairn/contracts';
import { notFound } from '@cairn/contracts';
import { toMetricValue } from '../common/metric-value';
import { parseRunId } from '../common/run-id';
import { decodeHistoryToken, encodeHistoryToken } from './history-page-token';
import { IntervalSampler } from './interval-sampler';
import { historyPageSize, validateBulkRequest, validateIntervalRequest } from './metric-history.rules';
import type { MetricPoint } from './metric-points';
import { decodePoints, historyColumns, lastPoint, withoutLastPoint } from './metric-points';
import type { RunRef } from './metrics.repository';
import { MetricsRepository } from './metrics.repository';

const RUN_UUID = /^[0-9a-f]{32}$/;

@Injectable()
export class MetricsService {
  constructor(
    private readonly metrics: MetricsRepository,
    private readonly sampler: IntervalSampler,
  ) {}

  /** One page of a metric's history, in MLflow's order (timestamp, step, value). */
  async history(req: GetMetricHistoryRequest): Promise<GetMetricHistoryResponse> {
    const runUuid = parseRunId(req.run_id);
    const pageSize = historyPageSize(req.max_results);
    const position = decodeHistoryToken(req.page_token);
    const [run] = await this.metrics.findRuns([runUuid]);
    if (!run) throw notFound(`Run with id=${runUuid} not found`);
    // One point past the page tells whether another page follows.
    const found = await this.metrics.history(run.id, req.metric_key, {
      ...position,
      limit: pageSize === undefined ? undefined : pageSize + 1,
    });
    const points = historyColumns(found);
    if (pageSize === undefined || (found?.points ?? 0) <= pageSize) return { points };
    const page = withoutLastPoint(points);
    return { points: page, next_page_token: encodeHistoryToken({ offset: position.offset + pageSize, after: lastPoint(page) }) };
  }

  /** Several runs' histories, runs in run-id order, at most max_results points in all. */
  async historyBulk(req: GetMetricHistoryBulkRequest): Promise<MetricsWithRunIdResponse> {
    const { runIds, metricKey, limit } = validateBulkRequest(req.run_ids, req.metric_key, req.max_results);
    const runs = (await this.findRuns(runIds)).sort((a, b) => (a.uuid < b.uuid ? -1 : 1));
    const metrics: MetricWithRunId[] = [];
    for (const run of runs) {
      if (metrics.length >= limit) break;
      const points = decodePoints(await this.metrics.history(run.id, metricKey, { offset: 0, limit: limit - metrics.length }));
      for (const p of points) metrics.push({ ...toMetric(metricKey, p), run_id: run.uuid });
    }
    return { metrics };
  }

  /**
   * At most max_results points of each run in the window (all steps without one), evenly
   * spaced, first and last included, for charts: MLflow's get-history-bulk-interval.
   */
  async historyBulkInterval(req: GetMetricHistoryBulkIntervalRequest): Promise<MetricsWithRunIdResponse> {
    const { maxResults, start, end } = validateIntervalRequest(req);
    const known = new Map((await this.findRuns(req.run_ids)).map((r) => [r.uuid, r]));
    const runs = req.run_ids.flatMap((uuid) => known.get(uuid) ?? []);
    const perRun = await this.sampler.pointsPerRun({
      runIds: runs.map((r) => r.id),
      key: req.metric_key,
      window: start !== undefined && end !== undefined ? { start, end } : undefined,
      maxResults,
    });
    return { metrics: perRun.flatMap((points, i) => points.map((p) => ({ ...toMetric(req.metric_key, p), run_id: runs[i]!.uuid }))) };
  }

  /** The runs among `uuids` that exist; an id that is not a run id names no run. */
  private findRuns(uuids: readonly string[]): Promise<RunRef[]> {
    return this.metrics.findRuns([...new Set(uuids.filter((u) => RUN_UUID.test(u)))]);
  }
}

function toMetric(key: string, point: MetricPoint): Metric {
  return { key, value: toMetricValue(point.value), timestamp: Number(point.timestamp), step: Number(point.step) };
}
