import { invalidParameter } from '@cairn/contracts';

const MAX_BIGINT = 9_223_372_036_854_775_807n;

/**
 * The experiment ids a search is scoped to, as canonical integers. A non-integer is refused (MLflow
 * fails on `int(id)`); one beyond bigint names no experiment, so it is dropped and matches nothing.
 */
export function parseSearchExperimentIds(ids: readonly string[]): string[] {
  const out: string[] = [];
  for (const id of ids) {
    const trimmed = String(id).trim();
    if (!/^-?\d+$/.test(trimmed)) {
      throw invalidParameter(`Invalid experiment ID '${id}'. Experiment ID must be a valid integer.`);
    }
    const value = BigInt(trimmed);
    if (value >= 0n && value <= MAX_BIGINT) out.push(value.toString());
  }
  return out;
}
