import type { LoggedModelOrderBy, SearchLoggedModelsRequest } from '@cairn/contracts';
import { invalidParameter } from '@cairn/contracts';
import { pyJsonDumps, pyRepr, pyStr } from './py-format';

/** What a search_logged_models page token pins, in MLflow's shape (SearchLoggedModelsPaginationToken). */
export interface ModelSearchScope {
  experiment_ids: string[];
  filter_string: string | null;
  order_by: NormalizedOrderBy[] | null;
}
export interface NormalizedOrderBy {
  field_name: string;
  ascending: boolean;
  dataset_name: string | null;
  dataset_digest: string | null;
}

/** The request as MLflow's handler hands it to the store: empty strings and lists become None. */
export function searchScope(req: SearchLoggedModelsRequest): ModelSearchScope {
  return {
    experiment_ids: [...req.experiment_ids],
    filter_string: req.filter || null,
    order_by: req.order_by?.length ? req.order_by.map(normalizeOrderBy) : null,
  };
}

function normalizeOrderBy(o: LoggedModelOrderBy): NormalizedOrderBy {
  return {
    field_name: o.field_name ?? '',
    ascending: o.ascending ?? true,
    dataset_name: o.dataset_name || null,
    dataset_digest: o.dataset_digest || null,
  };
}

/** base64 of `json.dumps({experiment_ids, filter_string, order_by, offset})`, as MLflow issues it. */
export function encodeModelPageToken(scope: ModelSearchScope, offset: number): string {
  const json = pyJsonDumps({ ...scope, order_by: scope.order_by?.map((o) => ({ ...o })) ?? null, offset });
  return Buffer.from(json, 'utf8').toString('base64');
}

/** The offset of a page token issued for this same search; a token of another search is refused. */
export function decodeModelPageToken(token: string, scope: ModelSearchScope): number {
  const parsed = parseToken(token);
  const found: ModelSearchScope = {
    experiment_ids: Array.isArray(parsed.experiment_ids) ? parsed.experiment_ids.map(String) : [],
    filter_string: typeof parsed.filter_string === 'string' && parsed.filter_string !== '' ? parsed.filter_string : null,
    order_by:
      Array.isArray(parsed.order_by) && parsed.order_by.length > 0
        ? parsed.order_by.map((o) => normalizeOrderBy(o !== null && typeof o === 'object' ? o : {}))
        : null,
  };
  if (JSON.stringify(found.experiment_ids) !== JSON.stringify(scope.experiment_ids)) {
    throw invalidParameter(
      'Experiment IDs in the page token do not match the requested experiment IDs. ' +
        `Expected: ${pyRepr(scope.experiment_ids)}. Found: ${pyRepr(found.experiment_ids)}`,
    );
  }
  if (found.filter_string !== scope.filter_string) {
    throw invalidParameter(
      'Filter string in the page token does not match the requested filter string. ' +
        `Expected: ${pyStr(scope.filter_string)}. Found: ${pyStr(found.filter_string)}`,
    );
  }
  if (JSON.stringify(found.order_by) !== JSON.stringify(scope.order_by)) {
    throw invalidParameter(
      'Order by in the page token does not match the requested order by. ' +
        `Expected: ${pyRepr(asPy(scope.order_by))}. Found: ${pyRepr(asPy(found.order_by))}`,
    );
  }
  const offset = parsed.offset ?? 0;
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) {
    throw invalidParameter(`Invalid page token: ${token}. The offset must be a non-negative integer.`);
  }
  return offset;
}

interface RawToken {
  experiment_ids?: unknown[];
  filter_string?: unknown;
  order_by?: unknown[];
  offset?: unknown;
}

function parseToken(token: string): RawToken {
  const base64 = token.trim();
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) {
    throw invalidParameter(`Invalid page token: ${token}. It is not valid base64.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(base64, 'base64')));
  } catch {
    throw invalidParameter(`Invalid page token: ${token}. It is not valid JSON.`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalidParameter(`Invalid page token: ${token}. It is not a JSON object.`);
  }
  const raw = parsed as RawToken;
  if (raw.order_by !== undefined && raw.order_by !== null && !Array.isArray(raw.order_by)) {
    throw invalidParameter(`Invalid page token: ${token}. Its order_by is not a list.`);
  }
  return raw;
}

function asPy(orderBy: NormalizedOrderBy[] | null) {
  return orderBy?.map((o) => ({ ...o })) ?? null;
}
