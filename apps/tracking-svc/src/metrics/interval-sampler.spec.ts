import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXACT_SAMPLING_MAX_POINTS, IntervalSampler } from './interval-sampler';
import type { MetricPoint } from './metric-points';
import type { MetricsRepository, StepWindow } from './metrics.repository';

/** An in-memory stand-in for the repository: run id -> logged steps (one point each), with a call log. */
function fakeRepository(stepsByRun: Record<string, number[]>) {
  const calls: string[] = [];
  const inWindow = (ids: readonly string[], w: StepWindow) =>
    [...new Set(ids.flatMap((id) => stepsByRun[id] ?? []).filter((s) => s >= w.start && s <= w.end))].sort((a, b) => a - b);
  const repo = {
    countInWindow: async (ids: readonly string[], _key: string, w: StepWindow, atMost: number) => {
      calls.push('count');
      const n = ids.flatMap((id) => stepsByRun[id] ?? []).filter((s) => s >= w.start && s <= w.end).length;
      return Math.min(n, atMost);
    },
    sampleStepsExactly: async () => {
      calls.push('exact');
      return [];
    },
    loggedRange: async (ids: readonly string[], _key: string, w: StepWindow) => {
      calls.push('range');
      const steps = inWindow(ids, w);
      return steps.length ? { first: steps[0]!, last: steps.at(-1)! } : undefined;
    },
    nextLoggedSteps: async (ids: readonly string[], _key: string, candidates: readonly number[], last: number) => {
      calls.push(`next(${candidates.length})`);
      const steps = inWindow(ids, { start: -Infinity, end: last });
      return [...new Set(candidates.flatMap((c) => steps.find((s) => s >= c) ?? []))];
    },
    pointsAtSteps: async (ids: readonly string[], _key: string, wanted: readonly number[]) => {
      calls.push('points');
      return ids.map((id): MetricPoint[] =>
        (stepsByRun[id] ?? []).filter((s) => wanted.includes(s)).map((s) => ({ timestamp: String(s), step: String(s), value: s })),
      );
    },
  };
  return { repo: repo as unknown as MetricsRepository, calls };
}

const range = (from: number, to: number, every = 1) =>
  Array.from({ length: Math.floor((to - from) / every) + 1 }, (_, i) => from + i * every);
const stepsOf = (points: MetricPoint[]) => points.map((p) => Number(p.step));

describe('get-history-bulk-interval sampling plan', () => {
  it('ranks steps exactly while the window holds few enough points', async () => {
    const { repo, calls } = fakeRepository({ a: range(0, 999) });
    const sampler = new IntervalSampler(repo);
    const bounds = [{ runId: 'a', min: 0, max: 999 }];
    await sampler.pointsPerRun({ runIds: ['a'], key: 'm', window: { start: 0, end: 999 }, maxResults: 10, bounds });
    assert.deepEqual(calls, ['count', 'exact', 'points']);
  });

  it('reads a long series of consecutive steps in one pass, at the steps MLflow would pick', async () => {
    const { repo, calls } = fakeRepository({ a: range(0, EXACT_SAMPLING_MAX_POINTS), b: range(0, 9) });
    const sampler = new IntervalSampler(repo);
    const window = { start: 0, end: EXACT_SAMPLING_MAX_POINTS };
    const bounds = [{ runId: 'a', min: 0, max: EXACT_SAMPLING_MAX_POINTS }, { runId: 'b', min: 0, max: 9 }];
    const [a, b, again] = await sampler.pointsPerRun({ runIds: ['a', 'b', 'a'], key: 'm', window, maxResults: 4, bounds });
    assert.deepEqual(calls, ['count', 'range', 'points']);
    // 50,001 steps, 4 wanted: ranks 0, 12500, 25000, 37500 and the last; b's last step 9.
    assert.deepEqual(stepsOf(a!), [0, 9, 12_500, 25_000, 37_500, 50_000]);
    assert.deepEqual(stepsOf(b!), [0, 9]);
    assert.deepEqual(again, a);
  });

  it('moves only the candidates no run logged to the next logged step', async () => {
    const { repo, calls } = fakeRepository({ a: range(0, 1_000_000, 10) });
    const sampler = new IntervalSampler(repo);
    const window = { start: 5, end: 1_000_000 };
    const bounds = [{ runId: 'a', min: 0, max: 1_000_000 }];
    const [a] = await sampler.pointsPerRun({ runIds: ['a'], key: 'm', window, maxResults: 4, bounds });
    // MLflow's ranks over [10, 1,000,000] as if every step were there: 10, 250,007, 500,005, 750,003 and
    // 1,000,000; the three in between were not logged and move to 250,010, 500,010, 750,010.
    assert.deepEqual(calls, ['count', 'range', 'points', 'next(3)', 'points']);
    assert.deepEqual(stepsOf(a!), [10, 250_010, 500_010, 750_010, 1_000_000]);
  });

  it('finds nothing outside the logged window', async () => {
    const { repo, calls } = fakeRepository({ a: range(0, 9) });
    const sampler = new IntervalSampler(repo);
    const bounds = [{ runId: 'a', min: 0, max: 9 }];
    assert.deepEqual(await sampler.pointsPerRun({ runIds: ['a'], key: 'm', window: { start: 20, end: 30 }, maxResults: 4, bounds }), [[]]);
    assert.deepEqual(await sampler.pointsPerRun({ runIds: ['a'], key: 'm', window: { start: 0, end: -1 }, maxResults: 4, bounds }), [[]]);
    assert.deepEqual(calls, ['count']);
  });
});
