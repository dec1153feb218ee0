import { invalidParameter } from '@cairn/contracts';

const MAX_BIGINT = 9_223_372_036_854_775_807n;

/**
 * The experiments a search covers, as canonical integer strings. Each id is read like Python's
 * `int(id)` (MLflow's `_parse_experiment_id`: spaces, a sign and digit-grouping underscores
 * allowed), with its message when that fails. Ids outside bigint name no experiment and are
 * dropped: unknown experiments simply match nothing. Duplicates are dropped too.
 */
export function parseExperimentIds(ids: readonly string[]): string[] {
  const out = new Set<string>();
  for (const id of ids) {
    const text = id.trim();
    if (!/^[+-]?\d+(?:_\d+)*$/.test(text)) {
      throw invalidParameter(`Invalid experiment ID '${id}'. Experiment ID must be a valid integer.`);
    }
    const value = BigInt(text.replace(/_/g, ''));
    if (value >= 0n && value <= MAX_BIGINT) out.add(value.toString());
  }
  return [...out];
}
