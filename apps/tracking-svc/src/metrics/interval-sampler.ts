import { Injectable } from '@nestjs/common';
import type { MetricPoint } from './metric-points';
import { MetricsRepository } from './metrics.repository';
import type { StepWindow } from './step-sampling';
import { denseSampleSteps } from './step-sampling';

export interface IntervalRequest {
  /** Internal run ids as requested: order kept, a run named twice comes twice. */
  runIds: readonly string[];
  key: string;
  /** The requested step range; without one, every step. */
  window: StepWindow | undefined;
  maxResults: number;
}

/**
 * get-history-bulk-interval's points, each run sampled on its own (step-sampling.ts). A dense
 * series (one point per step, no gaps: the usual training loop) is read at the sampled steps
 * only, through the (run_id, key, step) index, whatever its length; any other series has its
 * points in the window ranked in PostgreSQL, as MLflow does for every series.
 */
@Injectable()
export class IntervalSampler {
  constructor(private readonly metrics: MetricsRepository) {}

  async pointsPerRun(req: IntervalRequest): Promise<MetricPoint[][]> {
    const ids = [...new Set(req.runIds)];
    const summaries = ids.length > 0 ? await this.metrics.seriesSummaries(ids, req.key) : [];
    const pairs = { runIds: [] as string[], steps: [] as number[] };
    const ranked: string[] = [];
    for (const series of summaries) {
      const steps = denseSampleSteps(series, req.window, req.maxResults);
      if (steps === undefined) ranked.push(series.runId);
      for (const step of steps ?? []) {
        pairs.runIds.push(series.runId);
        pairs.steps.push(step);
      }
    }
    const [read, sampled] = await Promise.all([
      pairs.runIds.length > 0 ? this.metrics.pointsAtRunSteps(pairs.runIds, pairs.steps, req.key) : new Map<string, MetricPoint[]>(),
      ranked.length > 0 ? this.metrics.sampleRanked(ranked, req.key, req.window, req.maxResults) : new Map<string, MetricPoint[]>(),
    ]);
    return req.runIds.map((id) => read.get(id) ?? sampled.get(id) ?? []);
  }
}
