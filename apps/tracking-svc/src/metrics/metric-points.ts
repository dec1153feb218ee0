import type { MetricHistoryColumns } from '@cairn/contracts';

/**
 * Metric points as three comma-separated text columns (timestamps, steps, values) built by
 * `string_agg` in PostgreSQL, with their count. A 25,000-point page decodes about three times
 * faster this way than as 25,000 driver rows, and a history page is not decoded at all (the
 * columns are the contract). Values are PostgreSQL's float8 text: shortest round-trip digits,
 * and `NaN`, `Infinity`, `-Infinity`, which Number() reads back.
 */
export interface PointColumns {
  timestamps: string | null;
  steps: string | null;
  values: string | null;
  points: number;
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
          string_agg(value::text, ',' ORDER BY ${orderBy}) AS "values",
          count(*)::int AS points`;
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

/** The columns as the contract carries them (empty strings for no points). */
export function historyColumns(columns: PointColumns | undefined): MetricHistoryColumns {
  return { timestamps: columns?.timestamps ?? '', steps: columns?.steps ?? '', values: columns?.values ?? '' };
}

/** The columns without their last point (which must exist). */
export function withoutLastPoint(columns: MetricHistoryColumns): MetricHistoryColumns {
  const cut = (column: string) => column.slice(0, Math.max(column.lastIndexOf(','), 0));
  return { timestamps: cut(columns.timestamps), steps: cut(columns.steps), values: cut(columns.values) };
}

/** The last point of non-empty columns. */
export function lastPoint(columns: MetricHistoryColumns): MetricPoint {
  const last = (column: string) => column.slice(column.lastIndexOf(',') + 1);
  return { timestamp: last(columns.timestamps), step: last(columns.steps), value: Number(last(columns.values)) };
}
