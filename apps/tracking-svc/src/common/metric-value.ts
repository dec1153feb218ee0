import type { MetricValue } from '@cairn/contracts';

/** A double from PostgreSQL as MLflow writes it: NaN and ±Infinity become protobuf's strings. */
export function toMetricValue(value: number): MetricValue {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return value;
}

/** The wire's metric value as a double for PostgreSQL (which stores NaN and ±Infinity natively). */
export function fromMetricValue(value: MetricValue): number {
  return typeof value === 'number' ? value : Number(value);
}
