import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SeriesSummary } from './step-sampling';
import { denseSampleSteps, sampledPositions } from './step-sampling';

/** MLflow 3.17's SQL, run in memory: NTILE buckets, first row of each, then the last-row rule. */
function mlflowPositions(n: number, m: number): number[] {
  const bucketOf = (row: number) => {
    const size = Math.floor(n / m);
    const larger = n % m;
    return row < larger * (size + 1) ? Math.floor(row / (size + 1)) : larger + Math.floor((row - larger * (size + 1)) / size);
  };
  const rows: number[] = [];
  for (let row = 0; row < n; row++) if (row === 0 || bucketOf(row) !== bucketOf(row - 1)) rows.push(row);
  if (n > 0 && rows.at(-1) !== n - 1) {
    if (rows.length >= m) rows[rows.length - 1] = n - 1;
    else rows.push(n - 1);
  }
  return rows;
}

describe("MLflow's row sampling for get-history-bulk-interval", () => {
  it('keeps every point when there are no more than max_results', () => {
    assert.deepEqual(sampledPositions(4, 4), [0, 1, 2, 3]);
    assert.deepEqual(sampledPositions(0, 320), []);
  });

  it('returns exactly max_results points, the first of each NTILE bucket and then the last point', () => {
    // 100,000 points in 320 buckets: 160 of 313 rows, then 160 of 312.
    const positions = sampledPositions(100_000, 320);
    assert.equal(positions.length, 320); // the step-rank sampling this replaces returned 321
    assert.deepEqual(positions.slice(0, 3), [0, 313, 626]);
    assert.deepEqual(positions.slice(159, 162), [159 * 313, 160 * 313, 160 * 313 + 312]);
    assert.deepEqual(positions.slice(-2), [318 * 312 + 160, 99_999]);
    assert.deepEqual(sampledPositions(10_000, 320).slice(0, 3), [0, 32, 64]);
  });

  it('returns only the last point for max_results = 1', () => {
    assert.deepEqual(sampledPositions(50, 1), [49]);
  });

  it('agrees with the NTILE query for every size around the bucket boundaries', () => {
    for (const m of [1, 2, 3, 7, 49, 320]) {
      for (let n = 0; n <= 3 * m + 5; n++) assert.deepEqual(sampledPositions(n, m), mlflowPositions(n, m), `n=${n} m=${m}`);
    }
  });

  it('maps positions to steps in a dense series, clipped to the window', () => {
    const series: SeriesSummary = { runId: '1', points: 10, minStep: 100, maxStep: 109, dense: true };
    assert.deepEqual(denseSampleSteps(series, undefined, 4), [100, 103, 106, 109]);
    assert.deepEqual(denseSampleSteps(series, { start: 105, end: 1000 }, 2), [105, 109]);
    assert.deepEqual(denseSampleSteps(series, { start: 0, end: 99 }, 2), []);
  });

  it('leaves other series to be ranked in the database', () => {
    const series: SeriesSummary = { runId: '1', points: 10, minStep: 0, maxStep: 20, dense: false };
    assert.equal(denseSampleSteps(series, undefined, 4), undefined);
    assert.equal(denseSampleSteps({ ...series, dense: true, maxStep: 2 ** 60 }, undefined, 4), undefined);
  });
});
