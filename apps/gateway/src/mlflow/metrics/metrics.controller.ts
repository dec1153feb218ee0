import { Controller, Get, Header, Query } from '@nestjs/common';
import type { GetMetricHistoryResponse } from '@cairn/contracts';
import { TrackingPatterns } from '@cairn/contracts';
import { metricHistoryJson } from '@cairn/mlflow-wire';
import { MlflowForwarder, mlflowPaths } from '../mlflow-forwarder';
import * as R from './metric.requests';

const P = TrackingPatterns.metrics;
type QueryParams = Record<string, unknown>;

/** Metric history (reference §1.2, §1.6): get-history, get-history-bulk, get-history-bulk-interval. */
@Controller(mlflowPaths('2.0', 'mlflow/metrics'))
export class MetricsController {
  constructor(private readonly mlflow: MlflowForwarder) {}

  /** `run_uuid` is the deprecated spelling of `run_id`; `run_id` wins when both are given. */
  @Get('get-history')
  @Header('Content-Type', 'application/json')
  async getHistory(@Query() query: QueryParams): Promise<string> {
    const request = { ...query, run_id: query['run_id'] || query['run_uuid'] };
    const page = (await this.mlflow.askQuery(P.getHistory, R.GetMetricHistory, request)) as GetMetricHistoryResponse;
    return metricHistoryJson(String(query['metric_key']), page.points, page.next_page_token);
  }

  /** The UI's older chart call: `run_id` repeated; the answer keeps an empty `metrics` list, as MLflow's does. */
  @Get('get-history-bulk')
  async getHistoryBulk(@Query() query: QueryParams) {
    const res = (await this.mlflow.forwardQuery(P.getHistoryBulk, R.GetMetricHistoryBulk, { ...query, run_ids: query['run_id'] })) as {
      metrics?: unknown[];
    };
    return { metrics: res.metrics ?? [] };
  }

  @Get('get-history-bulk-interval')
  getHistoryBulkInterval(@Query() query: QueryParams) {
    return this.mlflow.forwardQuery(P.getHistoryBulkInterval, R.GetMetricHistoryBulkInterval, query);
  }
}
