import { invalidParameter } from '@cairn/contracts';

/** MLflow's max_results checks, with its message; absent means the search's default. */
export function validateMaxResults(value: number | undefined, limits: { fallback: number; max: number }): number {
  if (value === undefined) return limits.fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw invalidParameter(`Invalid value ${value} for parameter 'max_results' supplied. It must be a positive integer`);
  }
  if (value > limits.max) {
    throw invalidParameter(`Invalid value ${value} for parameter 'max_results' supplied. It must be at most ${limits.max}`);
  }
  return value;
}
