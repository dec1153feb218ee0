import type { IncomingHttpHeaders } from 'node:http';
import type { z } from 'zod';
import type { SearchContinuation } from '@cairn/contracts';
import type { RequestDefinition } from '@cairn/mlflow-wire';
import { parseRequest, toWireJson } from '@cairn/mlflow-wire';
import type { ServiceClient } from '@cairn/nest-common';

/**
 * Who is asking. There is no authentication yet, so this is what the caller says: the user of an
 * `Authorization: Basic` header (MLflow clients send it from MLFLOW_TRACKING_USERNAME), else an
 * `X-Cairn-User` or `user_id` header. The services record it; undefined means anonymous.
 */
export function actorFrom(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  if (authorization && /^basic /i.test(authorization)) {
    const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
    const user = decoded.split(':')[0]?.trim();
    if (user) return clean(user);
  }
  const header = headers['x-cairn-user'] ?? headers['user_id'];
  const value = Array.isArray(header) ? header[0] : header;
  return value?.trim() ? clean(value) : undefined;
}

const clean = (value: string) => value.replace(/\p{Cc}/gu, '').trim().slice(0, 256) || undefined;

/** Validates an MLflow command, adds the actor (never taken from the body) and sends it. */
export async function sendCommand<S extends z.ZodRawShape>(
  services: ServiceClient,
  pattern: string,
  def: RequestDefinition<S>,
  input: unknown,
  headers: IncomingHttpHeaders,
  extra: Record<string, unknown> = {},
): Promise<unknown> {
  const request = { ...parseRequest(def, input), ...extra, actor: actorFrom(headers) };
  return toWireJson(await services.call(pattern, request));
}

type Chunked<K extends string> = { [key in K]: unknown[] } & { next_page_token?: string; continuation?: SearchContinuation };

/**
 * A search whose page the service answers in several messages (each under NATS's payload
 * limit): asks again from each continuation and joins the rows into MLflow's one page.
 */
export async function searchPage<K extends string>(services: ServiceClient, pattern: string, request: object, key: K): Promise<unknown> {
  let response = await services.call<Chunked<K>>(pattern, request);
  const rows = [...response[key]];
  while (response.continuation) {
    response = await services.call<Chunked<K>>(pattern, { ...request, ...response.continuation });
    rows.push(...response[key]);
  }
  return toWireJson({ [key]: rows, next_page_token: response.next_page_token });
}
