import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { boundarySteps, candidateSteps, sampledRanks, stepWindow } from './step-sampling';

describe('MLflow step sampling', () => {
  it('keeps every rank when there are no more steps than max_results', () => {
    assert.deepEqual(sampledRanks(4, 4), [0, 1, 2, 3]);
    assert.deepEqual(sampledRanks(0, 320), []);
  });

  it('keeps ranks int(i * n / max_results) and the last one, as MLflow does', () => {
    assert.deepEqual(sampledRanks(10, 4), [0, 2, 5, 7, 9]);
    assert.deepEqual(sampledRanks(7, 3), [0, 2, 4, 6]);
    const ranks = sampledRanks(100_000, 320);
    assert.equal(ranks.length, 321);
    assert.deepEqual(ranks.slice(0, 4), [0, 312, 625, 937]);
    assert.equal(ranks.at(-1), 99_999);
  });

  it('rounds like Python floats, not exact integer division', () => {
    // int(21 * (119 / 49)) is 50 in IEEE doubles; 21 * 119 // 49 would be 51.
    const ranks = sampledRanks(119, 49);
    assert.ok(ranks.includes(50));
    assert.ok(!ranks.includes(51));
  });

  it('samples [0, last step] when no window is given, and the given window otherwise', () => {
    assert.deepEqual(stepWindow({}, 25), { start: 0, end: 25 });
    assert.deepEqual(stepWindow({}, undefined), { start: 0, end: 0 });
    assert.deepEqual(stepWindow({ start: -5, end: 3 }, 25), { start: -5, end: 3 });
  });

  it("keeps each run's first and last step that fall in the window", () => {
    const bounds = [
      { min: 0, max: 9 },
      { min: 5, max: 25 },
    ];
    assert.deepEqual(boundarySteps(bounds, { start: 4, end: 20 }).sort((a, b) => a - b), [5, 9]);
    assert.deepEqual(boundarySteps(bounds, { start: 0, end: 25 }).sort((a, b) => a - b), [0, 5, 9, 25]);
  });

  it('lays the ranks over the logged range: MLflow\'s steps when every step in it was logged', () => {
    assert.deepEqual(candidateSteps(100, 109, 4), [100, 102, 105, 107, 109]);
    assert.deepEqual(candidateSteps(-2, 1, 10), [-2, -1, 0, 1]);
  });
});
