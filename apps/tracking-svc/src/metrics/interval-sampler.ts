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
    // Dense runs sampled over the same range share their steps: one query per distinct set.
    const bySteps = new Map<string, { steps: number[]; runIds: string[] }>();
    const ranked: string[] = [];
    for (const series of summaries) {
      const steps = denseSampleSteps(series, req.window, req.maxResults);
      if (steps === undefined) ranked.push(series.runId);
      else if (steps.length > 0) {
        const group = bySteps.get(steps.join()) ?? { steps, runIds: [] };
        group.runIds.push(series.runId);
        bySteps.set(steps.join(), group);
      }
    }
    const found = await Promise.all([
      ...[...bySteps.values()].map((group) => this.metrics.pointsAtSteps(group.runIds, req.key, group.steps)),
      ranked.length > 0 ? this.metrics.sampleRanked(ranked, req.key, req.window, req.maxResults) : new Map<string, MetricPoint[]>(),
    ]);
    const read = new Map(found.flatMap((byRun) => [...byRun]));
    return req.runIds.map((id) => read.get(id) ?? []);
  }
}
