import { invalidParameter } from '@cairn/contracts';

export const MAX_SWEEP_RUNS = 1000;

/**
 * The grid of a sweep: every combination of every key's values, the first key varying slowest
 * (`--sweep alpha=0.1,0.5 --sweep l1=0.2,0.8` → (0.1,0.2) (0.1,0.8) (0.5,0.2) (0.5,0.8)).
 */
export function expandGrid(sweep: Record<string, string[]>): Record<string, string>[] {
  let grid: Record<string, string>[] = [{}];
  for (const [key, values] of Object.entries(sweep)) {
    if (values.length === 0) throw invalidParameter(`Sweep parameter '${key}' has no values.`);
    if (new Set(values).size !== values.length) throw invalidParameter(`Sweep parameter '${key}' lists a value twice.`);
    grid = grid.flatMap((point) => values.map((v) => ({ ...point, [key]: v })));
    if (grid.length > MAX_SWEEP_RUNS) {
      throw invalidParameter(`A sweep may have at most ${MAX_SWEEP_RUNS} runs; this grid has more.`);
    }
  }
  return grid;
}

/** A child run's name: its grid point, e.g. `alpha=0.1 l1_ratio=0.2`. */
export const gridPointName = (point: Record<string, string>): string =>
  Object.entries(point)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
