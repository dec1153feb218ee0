import type { SearchContinuation } from '@cairn/contracts';
import { encodePageToken } from '@cairn/search-filter';

/** Rows per query, and JSON bytes per message, so one answer stays well under NATS's max_payload (8 MB here). */
export interface ChunkLimits {
  rows: number;
  bytes: number;
}

export interface SearchPage<T> {
  items: T[];
  next_page_token?: string;
  continuation?: SearchContinuation;
}

/**
 * Cuts one message's worth out of `rows` (fetched with LIMIT min(limit, chunk.rows) + 1 at
 * `offset`). When the caller's page is complete it carries MLflow's `next_page_token` (only when
 * a row follows); otherwise a continuation says where the rest of the same page starts. `sizes`
 * are the rows' JSON lengths when the caller has them (the text PostgreSQL sent).
 */
export function cutPage<T>(rows: T[], offset: number, limit: number, chunk: ChunkLimits, sizes?: number[]): SearchPage<T> {
  const wanted = Math.min(limit, chunk.rows);
  let taken = 0;
  let bytes = 0;
  while (taken < Math.min(wanted, rows.length)) {
    bytes += sizes?.[taken] ?? JSON.stringify(rows[taken]).length;
    if (taken > 0 && bytes > chunk.bytes) break;
    taken += 1;
  }
  const items = rows.slice(0, taken);
  const more = rows.length > taken;
  if (taken === limit) return more ? { items, next_page_token: encodePageToken(offset + limit) } : { items };
  if (!more) return { items };
  return { items, continuation: { page_token: encodePageToken(offset + taken), max_results: limit - taken } };
}

/** The rows to ask the database for: one more than this message can carry, to know whether more follow. */
export const rowsToFetch = (limit: number, chunk: ChunkLimits) => Math.min(limit, chunk.rows) + 1;
