import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IntervalSampler } from './interval-sampler';
import type { MetricPoint } from './metric-points';
import type { MetricsRepository } from './metrics.repository';
import type { SeriesSummary, StepWindow } from './step-sampling';

/** An in-memory stand-in for the repository, with a log of the calls made. */
function fakeRepository(summaries: SeriesSummary[]) {
  const calls: string[] = [];
  const point = (step: number): MetricPoint => ({ timestamp: String(step), step: String(step), value: step });
  const repo = {
    seriesSummaries: async (ids: readonly string[]) => {
      calls.push(`summaries(${ids.join(',')})`);
      return summaries.filter((s) => ids.includes(s.runId));
    },
    pointsAtRunSteps: async (runIds: readonly string[], steps: readonly number[]) => {
      calls.push(`at(${runIds.length})`);
      const byRun = new Map<string, MetricPoint[]>();
      runIds.forEach((id, i) => byRun.set(id, [...(byRun.get(id) ?? []), point(steps[i]!)]));
      return byRun;
    },
    sampleRanked: async (runIds: readonly string[], _key: string, window: StepWindow | undefined, maxResults: number) => {
      calls.push(`ranked(${runIds.join(',')};${window ? `${window.start}..${window.end}` : 'all'};${maxResults})`);
      return new Map(runIds.map((id) => [id, [point(-1)]]));
    },
  };
  return { repo: repo as unknown as MetricsRepository, calls };
}

describe('IntervalSampler', () => {
  it('reads a dense series at the sampled steps only, however long', async () => {
    const { repo, calls } = fakeRepository([{ runId: '1', points: 100_000, minStep: 0, maxStep: 99_999, dense: true }]);
    const [points] = await new IntervalSampler(repo).pointsPerRun({ runIds: ['1'], key: 'loss', window: undefined, maxResults: 320 });
    assert.equal(points!.length, 320);
    assert.deepEqual(calls, ['summaries(1)', 'at(320)']);
  });

  it('ranks other series in the database, and answers per requested run in order', async () => {
    const { repo, calls } = fakeRepository([
      { runId: '1', points: 5, minStep: 0, maxStep: 4, dense: true },
      { runId: '2', points: 5, minStep: 0, maxStep: 9, dense: false },
    ]);
    const sampler = new IntervalSampler(repo);
    const perRun = await sampler.pointsPerRun({ runIds: ['2', '1', '3', '2'], key: 'k', window: { start: 1, end: 3 }, maxResults: 2 });
    assert.deepEqual(
      perRun.map((points) => points.map((p) => p.step)),
      [['-1'], ['1', '3'], [], ['-1']],
    );
    assert.deepEqual(calls, ['summaries(2,1,3)', 'at(2)', 'ranked(2;1..3;2)']);
  });

  it('asks nothing more when no run logged the key', async () => {
    const { repo, calls } = fakeRepository([]);
    assert.deepEqual(await new IntervalSampler(repo).pointsPerRun({ runIds: ['1'], key: 'k', window: undefined, maxResults: 3 }), [[]]);
    assert.deepEqual(calls, ['summaries(1)']);
  });
});
