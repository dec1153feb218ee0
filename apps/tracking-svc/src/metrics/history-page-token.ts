import type { MetricValue } from '@cairn/contracts';
import { invalidParameter } from '@cairn/contracts';
import { decodePageToken } from '@cairn/search-filter';
import { fromMetricValue, toMetricValue } from '../common/metric-value';

/** The last point of a page, in history order (timestamp, step, value): where the next page starts. */
export interface HistoryCursor {
  timestamp: string;
  step: string;
  value: number;
}

export interface HistoryPosition {
  offset: number;
  after?: HistoryCursor;
}

/**
 * MLflow's page token is base64 of `{"offset": N}`. Cairn's tokens carry the same offset plus the
 * last point returned, so the next page is an index range scan rather than an OFFSET that would
 * walk every earlier point. A bare MLflow-style token still works (by offset).
 */
export function encodeHistoryToken(position: Required<HistoryPosition>): string {
  const { timestamp, step, value } = position.after;
  const body = { offset: position.offset, after: [timestamp, step, toMetricValue(value)] };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64');
}

/** Refuses what MLflow refuses, with its messages; no token is the start of the history. */
export function decodeHistoryToken(token: string | undefined): HistoryPosition {
  const offset = decodePageToken(token);
  if (!token) return { offset };
  // decodePageToken has checked that the token is base64 of a JSON object.
  const json = Buffer.from(token.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64').toString('utf8');
  const after = (JSON.parse(json) as { after?: unknown }).after;
  if (after === undefined) return { offset };
  if (!isCursor(after)) throw invalidParameter(`Invalid page token, parsed value=${JSON.stringify(after)}`);
  return { offset, after: { timestamp: after[0], step: after[1], value: fromMetricValue(after[2]) } };
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const isInt64 = (v: unknown) => typeof v === 'string' && /^-?\d{1,19}$/.test(v) && BigInt(v) >= INT64_MIN && BigInt(v) <= INT64_MAX;
const SPECIAL_VALUES: readonly unknown[] = ['NaN', 'Infinity', '-Infinity'];

function isCursor(value: unknown): value is [string, string, MetricValue] {
  if (!Array.isArray(value) || value.length !== 3) return false;
  const [timestamp, step, metric] = value as unknown[];
  return (
    isInt64(timestamp) &&
    isInt64(step) &&
    (typeof metric === 'number' || SPECIAL_VALUES.includes(metric))
  );
}
