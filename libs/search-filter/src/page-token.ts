import { invalidParameter } from '@cairn/contracts';
import { pyBytes, pyValue } from './py-repr';

// MLflow's SearchUtils.create_page_token / parse_start_offset_from_page_token: the token is
// base64 of the JSON `{"offset": N}` (Python's json.dumps spacing), opaque to clients.

/** `base64('{"offset": N}')`, byte for byte what MLflow issues. */
export function encodePageToken(offset: number): string {
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new RangeError(`page offset must be a whole number, got ${offset}`);
  }
  return Buffer.from(JSON.stringify({ offset }).replace(':', ': '), 'utf8').toString('base64');
}

/** Python's lenient b64decode: characters outside the alphabet are dropped, padding must be right. */
function base64Decode(token: string): Buffer {
  const data = token.replace(/[^A-Za-z0-9+/=]/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data) || data.length % 4 !== 0) {
    throw invalidParameter('Invalid page token, could not base64-decode');
  }
  return Buffer.from(data, 'base64');
}

/** Python's int() of a JSON value: numbers truncate, booleans are 0/1, strings need an integer literal. */
function toInteger(value: unknown): number | undefined {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return Math.trunc(value);
  if (typeof value === 'string' && /^\s*[+-]?\d+(?:_\d+)*\s*$/.test(value)) return Number(value.replace(/_/g, ''));
  return undefined;
}

function isFalsyInPython(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object' && value !== null) return Object.keys(value).length === 0;
  return !value;
}

/**
 * The offset a page token carries; no token means 0. A token MLflow would refuse is refused with
 * its message ("Invalid page token, ..."), and so is one MLflow would choke on (a JSON array, a
 * negative offset).
 */
export function decodePageToken(token: string | null | undefined): number {
  if (!token) return 0;
  const bytes = base64Decode(token);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw invalidParameter(`Invalid page token, decoded value=${pyBytes(bytes)}`);
  }
  const offsetValue =
    typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)['offset']
      : undefined;
  if (isFalsyInPython(offsetValue)) throw invalidParameter(`Invalid page token, parsed value=${pyValue(parsed)}`);
  const offset = toInteger(offsetValue);
  if (offset === undefined) {
    const shown = typeof offsetValue === 'string' ? offsetValue : pyValue(offsetValue);
    throw invalidParameter(`Invalid page token, not stringable ${shown}`);
  }
  if (offset < 0 || !Number.isSafeInteger(offset)) {
    throw invalidParameter(`Invalid page token, parsed value=${pyValue(parsed)}`);
  }
  return offset;
}
