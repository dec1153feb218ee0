/**
 * MLflow's step sampling for get-history-bulk-interval (`AbstractStore.get_metric_history_bulk_interval`):
 * when more than `maxResults` distinct steps fall in the window, it keeps the steps at ranks
 * `int(i * (n / maxResults))` for i < maxResults, plus the last one. The float arithmetic is
 * Python's (IEEE doubles), which JavaScript and PostgreSQL's float8 reproduce bit for bit.
 */
export function sampledRanks(distinctSteps: number, maxResults: number): number[] {
  if (distinctSteps <= maxResults) return Array.from({ length: distinctSteps }, (_, i) => i);
  const interval = distinctSteps / maxResults;
  const ranks = new Set<number>();
  for (let i = 0; i < maxResults; i++) ranks.add(Math.trunc(i * interval));
  ranks.add(distinctSteps - 1);
  return [...ranks].sort((a, b) => a - b);
}

/** The window MLflow samples: the given one, or [0, largest step logged] when none is given. */
export function stepWindow(
  requested: { start?: number; end?: number },
  largestStep: number | undefined,
): { start: number; end: number } {
  if (requested.start !== undefined && requested.end !== undefined) return { start: requested.start, end: requested.end };
  return { start: 0, end: largestStep ?? 0 };
}

/** Each run's first and last step, kept whenever they fall in the window, as MLflow keeps them. */
export function boundarySteps(bounds: readonly { min: number; max: number }[], window: { start: number; end: number }): number[] {
  const inWindow = (step: number) => step >= window.start && step <= window.end;
  return [...new Set(bounds.flatMap((b) => [b.min, b.max]).filter(inWindow))];
}

/**
 * Steps to sample when the window holds too many points to rank exactly: MLflow's ranks laid
 * over [first, last] as if every step in between were logged. When they are (the usual
 * training loop), these are exactly MLflow's steps; otherwise each is moved to the next step
 * that exists (see MetricsRepository.nextLoggedSteps).
 */
export function candidateSteps(first: number, last: number, maxResults: number): number[] {
  return sampledRanks(last - first + 1, maxResults).map((rank) => first + rank);
}
