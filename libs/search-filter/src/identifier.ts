import { invalidParameter } from '@cairn/contracts';
import { pyTuple } from './py-repr';
import type { Token } from './tokenizer';
import type { Entity } from './types';

/** An identifier split like MLflow's `identifier.split(".", 1)`: entity prefix (if any) and key. */
export interface SplitIdentifier {
  /** The prefix as written (quotes kept), absent for a bare key. */
  entity?: string;
  /** The key, unquoted: `tags.\`mlflow.runName\`` gives `mlflow.runName`, `tags.a.b` gives `a.b`. */
  key: string;
}

function isQuoted(value: string, quote: string): boolean {
  return value.length >= 2 && value.startsWith(quote) && value.endsWith(quote);
}

export function trimBackticks(value: string): string {
  return isQuoted(value, '`') ? value.slice(1, -1) : value;
}

/** MLflow's `_trim_backticks(_strip_quotes(key))`: one layer of '', "" or `` comes off. */
export function unquoteKey(value: string): string {
  const stripped = isQuoted(value, "'") || isQuoted(value, '"') ? value.slice(1, -1) : value;
  return trimBackticks(stripped);
}

export function splitIdentifier(token: Token): SplitIdentifier {
  const parts = token.parts ?? [token.raw];
  if (parts.length === 1) return { key: unquoteKey(parts[0] as string) };
  return { entity: parts[0], key: unquoteKey(parts.slice(1).join('.')) };
}

/** MLflow's name for each entity, as its messages print it. */
export const MLFLOW_ENTITY_NAME: Record<Entity, string> = {
  metric: 'metric',
  param: 'parameter',
  tag: 'tag',
  attribute: 'attribute',
  dataset: 'dataset',
};

const RUN_ENTITY_ALIASES: Record<string, Entity> = {
  metric: 'metric',
  metrics: 'metric',
  parameter: 'param',
  parameters: 'param',
  param: 'param',
  params: 'param',
  tag: 'tag',
  tags: 'tag',
  attribute: 'attribute',
  attributes: 'attribute',
  attr: 'attribute',
  run: 'attribute',
  dataset: 'dataset',
  datasets: 'dataset',
};

/** Entity prefixes of search_runs (`metrics.`, `params.`, `attr.`, ...); case-sensitive like MLflow. */
export function resolveRunEntity(prefix: string | undefined): Entity {
  if (prefix === undefined) return 'attribute';
  const name = trimBackticks(prefix);
  const entity = Object.hasOwn(RUN_ENTITY_ALIASES, name) ? RUN_ENTITY_ALIASES[name] : undefined;
  if (!entity) {
    throw invalidParameter(
      `Invalid entity type '${name}'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']`,
    );
  }
  return entity;
}

const SCOPED_ENTITY_TYPES = ['attribute', 'tag', 'tags'];

/** Entity prefixes of the experiment and registry searches: only `attribute.`, `tag.` and `tags.`. */
export function resolveAttributeOrTag(prefix: string | undefined): 'attribute' | 'tag' {
  if (prefix === undefined) return 'attribute';
  if (!SCOPED_ENTITY_TYPES.includes(prefix)) {
    throw invalidParameter(
      `Invalid entity type '${prefix}'. Valid entity types are ${pyTuple(SCOPED_ENTITY_TYPES)}`,
    );
  }
  return prefix === 'attribute' ? 'attribute' : 'tag';
}
