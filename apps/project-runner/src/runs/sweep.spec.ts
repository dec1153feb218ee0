import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CairnError } from '@cairn/contracts';
import { expandGrid, gridPointName } from './sweep';

describe('expandGrid', () => {
  it('combines every value of every key, the first key varying slowest', () => {
    const grid = expandGrid({ alpha: ['0.1', '0.5', '1.0'], l1_ratio: ['0.2', '0.8'] });
    assert.equal(grid.length, 6);
    assert.deepEqual(grid.slice(0, 3), [
      { alpha: '0.1', l1_ratio: '0.2' },
      { alpha: '0.1', l1_ratio: '0.8' },
      { alpha: '0.5', l1_ratio: '0.2' },
    ]);
    assert.equal(gridPointName(grid[5]), 'alpha=1.0 l1_ratio=0.8');
  });

  it('refuses empty or duplicated values and grids over 1000 runs', () => {
    assert.throws(() => expandGrid({ a: [] }), CairnError);
    assert.throws(() => expandGrid({ a: ['1', '1'] }), /twice/);
    const many = Array.from({ length: 40 }, (_, i) => String(i));
    assert.throws(() => expandGrid({ a: many, b: many }), /at most 1000/);
  });
});
