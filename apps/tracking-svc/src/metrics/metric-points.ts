/**
 * Metric points as three comma-separated text columns (timestamps, steps, values) built by
 * `string_agg` in PostgreSQL. A 25,000-point page decodes about three times faster this way
 * than as 25,000 driver rows. Values are PostgreSQL's float8 text: shortest round-trip digits,
 * and `NaN`, `Infinity`, `-Infinity`, which Number() reads back.
 */
export interface PointColumns {
  timestamps: string | null;
  steps: string | null;
  values: string | null;
}

/** One point with int64 fields still as PostgreSQL's text (exact, for page cursors). */
export interface MetricPoint {
  timestamp: string;
  step: string;
  value: number;
}

/** The aggregate expressions over a subquery's `timestamp, step, value`, in the given order. */
export function pointColumnsSql(orderBy: string): string {
  return `string_agg(timestamp::text, ',' ORDER BY ${orderBy}) AS timestamps,
          string_agg(step::text, ',' ORDER BY ${orderBy}) AS steps,
          string_agg(value::text, ',' ORDER BY ${orderBy}) AS "values"`;
}

export function decodePoints(columns: PointColumns | undefined): MetricPoint[] {
  if (!columns?.timestamps || !columns.steps || !columns.values) return [];
  const timestamps = columns.timestamps.split(',');
  const steps = columns.steps.split(',');
  const values = columns.values.split(',');
  const points = new Array<MetricPoint>(timestamps.length);
  for (let i = 0; i < timestamps.length; i++) {
    points[i] = { timestamp: timestamps[i]!, step: steps[i]!, value: Number(values[i]) };
  }
  return points;
}
