import { Injectable } from '@nestjs/common';
import type { MetricPoint } from './metric-points';
import { MAX_INTERVAL_POINTS_PER_RUN } from './metric-history.rules';
import type { StepBounds, StepWindow } from './metrics.repository';
import { MetricsRepository } from './metrics.repository';
import { boundarySteps, candidateSteps } from './step-sampling';

/**
 * Ranking steps exactly (MLflow's sampling) reads every point in the window: about 0.3 ms of
 * PostgreSQL CPU per thousand points, so 50,000 keeps a chart's request within 50 ms. Past it,
 * MLflow's ranks are laid over the logged range by value and read with index probes
 * (step-sampling.ts `candidateSteps`), whatever the number of points.
 */
export const EXACT_SAMPLING_MAX_POINTS = 50_000;

export interface IntervalRequest {
  /** Internal run ids as requested: order kept, a run named twice comes twice. */
  runIds: readonly string[];
  key: string;
  window: StepWindow;
  maxResults: number;
  /** Each run's first and last step of `key`, over its whole history. */
  bounds: readonly StepBounds[];
}

/** get-history-bulk-interval's points: per requested run, at the sampled steps, in step order. */
@Injectable()
export class IntervalSampler {
  constructor(private readonly metrics: MetricsRepository) {}

  async pointsPerRun(req: IntervalRequest): Promise<MetricPoint[][]> {
    const none = req.runIds.map((): MetricPoint[] => []);
    if (req.window.start > req.window.end) return none;
    const ids = [...new Set(req.runIds)];
    const boundaries = boundarySteps(req.bounds, req.window);
    const points = await this.metrics.countInWindow(ids, req.key, req.window, EXACT_SAMPLING_MAX_POINTS + 1);
    if (points === 0) return none;
    if (points <= EXACT_SAMPLING_MAX_POINTS) {
      const sampled = await this.metrics.sampleStepsExactly(ids, req.key, req.window, req.maxResults);
      return this.pointsAt(req, [...sampled, ...boundaries]);
    }
    return this.pointsNearCandidates(req, ids, boundaries);
  }

  /**
   * Reads the candidate steps directly; only candidates no run logged (the steps between them
   * are not all there) are moved to the next logged step, and read again.
   */
  private async pointsNearCandidates(req: IntervalRequest, ids: string[], boundaries: number[]): Promise<MetricPoint[][]> {
    const logged = await this.metrics.loggedRange(ids, req.key, req.window);
    if (!logged) return req.runIds.map(() => []);
    const candidates = candidateSteps(logged.first, logged.last, req.maxResults);
    const points = await this.pointsAt(req, [...candidates, ...boundaries]);
    const found = new Set(points.flat().map((p) => Number(p.step)));
    const missing = candidates.filter((step) => !found.has(step));
    if (missing.length === 0) return points;
    const moved = await this.metrics.nextLoggedSteps(ids, req.key, missing, logged.last);
    return this.pointsAt(req, [...candidates.filter((step) => found.has(step)), ...moved, ...boundaries]);
  }

  private pointsAt(req: IntervalRequest, steps: number[]): Promise<MetricPoint[][]> {
    const distinct = [...new Set(steps)].sort((a, b) => a - b);
    return this.metrics.pointsAtSteps(req.runIds, req.key, distinct, MAX_INTERVAL_POINTS_PER_RUN);
  }
}
