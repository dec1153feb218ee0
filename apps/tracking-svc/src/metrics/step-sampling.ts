/**
 * MLflow 3.17's sampling for get-history-bulk-interval (SqlAlchemyStore
 * `_sample_rows_with_window_functions`), per run: order the run's points in the window by
 * (step, timestamp, value), split them into `maxResults` buckets with SQL's NTILE, keep the first
 * point of each bucket, then make sure the last point is there: appended when fewer than
 * `maxResults` were kept, otherwise it replaces the last kept one. So a run never returns more
 * than `maxResults` points, and always its first and last.
 *
 * NTILE(m) over n rows gives the first n % m buckets floor(n / m) + 1 rows and the others
 * floor(n / m); with n <= m every row is its own bucket.
 */
export function sampledPositions(points: number, maxResults: number): number[] {
  if (points <= maxResults) return Array.from({ length: points }, (_, i) => i);
  const size = Math.floor(points / maxResults);
  const larger = points % maxResults;
  const positions: number[] = [];
  for (let bucket = 0; bucket < maxResults - 1; bucket++) positions.push(bucket * size + Math.min(bucket, larger));
  positions.push(points - 1);
  return positions;
}

/** What metric_series records about one run's history of one key. */
export interface SeriesSummary {
  runId: string;
  points: number;
  minStep: number;
  maxStep: number;
  /** Exactly one point at every step from minStep to maxStep. */
  dense: boolean;
}

export interface StepWindow {
  start: number;
  end: number;
}

/**
 * The steps MLflow's sample picks from a dense series (its k-th point is at step minStep + k),
 * within the window when one is given; undefined when the series is not dense, or its steps are
 * beyond what a double holds exactly, and the points must be ranked in the database.
 */
export function denseSampleSteps(series: SeriesSummary, window: StepWindow | undefined, maxResults: number): number[] | undefined {
  if (!series.dense || !Number.isSafeInteger(series.minStep) || !Number.isSafeInteger(series.maxStep)) return undefined;
  const first = window ? Math.max(window.start, series.minStep) : series.minStep;
  const last = window ? Math.min(window.end, series.maxStep) : series.maxStep;
  if (first > last) return [];
  return sampledPositions(last - first + 1, maxResults).map((position) => first + position);
}
