import { invalidParameter } from '@cairn/contracts';

export interface SearchLimits {
  fallback: number;
  max: number;
}

/** max_results as MLflow's registry handlers check it; absent means the search's default. */
export function validateMaxResults(value: number | undefined, limits: SearchLimits): number {
  if (value === undefined) return limits.fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw invalidParameter(`Invalid value for max_results. It must be a positive integer, but got ${value}`);
  }
  if (value > limits.max) {
    throw invalidParameter(
      `Invalid value for request parameter max_results. It must be at most ${limits.max}, but got value ${value}`,
    );
  }
  return value;
}

/** The largest version number PostgreSQL's integer column holds; anything above names nothing. */
export const MAX_STORED_VERSION = 2_147_483_647;
