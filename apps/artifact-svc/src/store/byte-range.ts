/** A single HTTP byte range as asked: `bytes=a-b`, `bytes=a-` or the suffix form `bytes=-n`. */
export type RangeSpec = { start: number; end?: number } | { suffix: number };

/** Inclusive byte offsets within an object. */
export interface ByteRange {
  start: number;
  end: number;
}

const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/;

/**
 * Parses a Range header. Anything that is not one well-formed byte range (several ranges, other
 * units, bad syntax) is ignored, as RFC 9110 allows: the whole object is served instead.
 */
export function parseRangeHeader(header: string | undefined): RangeSpec | undefined {
  const match = header === undefined ? null : SINGLE_RANGE.exec(header.trim());
  if (!match) return undefined;
  const [, first, last] = match as unknown as [string, string, string];
  if (first === '' && last === '') return undefined;
  if (first === '') return safe(last) === undefined ? undefined : { suffix: Number(last) };
  const start = safe(first);
  if (start === undefined) return undefined;
  if (last === '') return { start };
  const end = safe(last);
  return end === undefined || end < start ? undefined : { start, end };
}

/** The bytes of `spec` within an object of `size` bytes, or undefined when none are (416). */
export function resolveRange(spec: RangeSpec, size: number): ByteRange | undefined {
  if ('suffix' in spec) {
    if (spec.suffix === 0 || size === 0) return undefined;
    return { start: Math.max(0, size - spec.suffix), end: size - 1 };
  }
  if (spec.start >= size) return undefined;
  return { start: spec.start, end: Math.min(spec.end ?? size - 1, size - 1) };
}

/** The Range header that asks another server (S3) for `spec`. */
export function rangeHeaderOf(spec: RangeSpec): string {
  return 'suffix' in spec ? `bytes=-${spec.suffix}` : `bytes=${spec.start}-${spec.end ?? ''}`;
}

/** Reads `bytes a-b/size` (or `bytes *\/size`) from a Content-Range header. */
export function parseContentRange(header: string | undefined): { range?: ByteRange; size: number } | undefined {
  const match = header === undefined ? null : /^bytes (?:(\d+)-(\d+)|\*)\/(\d+)$/.exec(header.trim());
  if (!match) return undefined;
  const size = Number(match[3]);
  return match[1] === undefined ? { size } : { range: { start: Number(match[1]), end: Number(match[2]) }, size };
}

function safe(digits: string): number | undefined {
  const value = Number(digits);
  return Number.isSafeInteger(value) ? value : undefined;
}

/**
 * Whether an `If-Range` validator still describes the object, so its Range may be served. Only
 * dates can match (Cairn sends Last-Modified, no ETag), and only exactly, to the second.
 */
export function ifRangeMatches(ifRange: string, lastModified: Date | undefined): boolean {
  const date = Date.parse(ifRange);
  if (!lastModified || Number.isNaN(date) || /^(W\/)?"/.test(ifRange.trim())) return false;
  return Math.floor(lastModified.getTime() / 1000) === Math.floor(date / 1000);
}
