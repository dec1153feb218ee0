import type { Comparator, RunClause, SqlParams } from '@cairn/search-filter';
import { comparisonSql, keyValueComparisonSql, numericCast } from '@cairn/search-filter';

// One search-runs filter clause as a condition on `tracking.runs r`, with MLflow's SQL-store
// semantics (mlflow/store/tracking/sqlalchemy_store.py, _get_sqlalchemy_filter_clauses):
// - metrics compare the latest value; NaN satisfies `!=` only;
// - a tag / param condition needs the row to exist, so `!=` never matches a missing key;
// - run_name is the `mlflow.runName` tag, which Cairn keeps equal to runs.name;
// - datasets.x holds when any of the run's dataset inputs matches (context = the input tag
//   `mlflow.data.context`).

/** params and tags index `(key, value) INCLUDE (run_id)` for values up to this many bytes. */
const INDEXED_VALUE_BYTES = 1000;

const ATTRIBUTE_COLUMNS = {
  run_name: 'r.name',
  user_id: 'r.user_id',
  status: 'r.status',
  artifact_uri: 'r.artifact_uri',
  start_time: 'r.start_time',
  end_time: 'r.end_time',
} as const;

const KEY_VALUE_TABLES = { metric: 'tracking.latest_metrics', param: 'tracking.params', tag: 'tracking.tags' } as const;

export function runFilterSql(clause: RunClause, params: SqlParams, alias: string): string {
  switch (clause.entity) {
    case 'attribute':
      return attributeSql(clause, params);
    case 'metric':
      return exists(
        KEY_VALUE_TABLES.metric,
        alias,
        keyValueComparisonSql(params, columns(alias), clause.key, clause.comparator, clause.value, {
          cast: 'double precision',
          excludeNaN: true,
        }),
      );
    case 'param':
    case 'tag':
      return keyValueSql(clause, params, alias);
    case 'dataset':
      return datasetSql(clause, params, alias);
  }
}

function columns(alias: string) {
  return { key: `${alias}.key`, value: `${alias}.value` };
}

function exists(table: string, alias: string, condition: string): string {
  return `EXISTS (SELECT 1 FROM ${table} ${alias} WHERE ${alias}.run_id = r.run_id AND ${condition})`;
}

function keyValueSql(clause: Extract<RunClause, { entity: 'param' | 'tag' }>, params: SqlParams, alias: string): string {
  const table = KEY_VALUE_TABLES[clause.entity];
  if (clause.comparator === 'IS NULL' || clause.comparator === 'IS NOT NULL') {
    const present = exists(table, alias, `${alias}.key = ${params.add(clause.key)}`);
    return clause.comparator === 'IS NULL' ? `NOT ${present}` : present;
  }
  if (clause.comparator === '=') return exists(table, alias, indexedEqualitySql(params, alias, clause.key, clause.value));
  return exists(table, alias, keyValueComparisonSql(params, columns(alias), clause.key, clause.comparator, clause.value));
}

/**
 * Equality through the partial `(key, value) INCLUDE (run_id)` index: restating its predicate lets
 * the planner use it (an index-only scan). A longer value cannot equal an indexed one, so it is
 * compared plainly.
 */
function indexedEqualitySql(params: SqlParams, alias: string, key: string, value: string): string {
  const condition = `${alias}.key = ${params.add(key)} AND ${alias}.value = ${params.add(value, 'text')}`;
  if (Buffer.byteLength(value, 'utf8') > INDEXED_VALUE_BYTES) return `(${condition})`;
  return `(${condition} AND octet_length(${alias}.value) <= ${INDEXED_VALUE_BYTES})`;
}

function attributeSql(clause: Extract<RunClause, { entity: 'attribute' }>, params: SqlParams): string {
  if (clause.key === 'run_id') return runIdSql(clause.comparator, clause.value as string | string[], params);
  const column = ATTRIBUTE_COLUMNS[clause.key];
  const cast = typeof clause.value === 'number' ? numericCast(clause.value) : undefined;
  return comparisonSql(params, column, clause.comparator, clause.value, { cast });
}

/**
 * run_uuid is char(32), whose equality ignores trailing spaces. `=` and IN compare as char(32) to
 * use the unique index, after dropping values with trailing spaces (no run id has one, so in
 * MLflow they match nothing); every other comparator compares as text.
 */
function runIdSql(comparator: Comparator, value: string | string[], params: SqlParams): string {
  if (comparator === '=' || comparator === 'IN') {
    const values = (Array.isArray(value) ? value : [value]).filter((v) => !v.endsWith(' '));
    return comparisonSql(params, 'r.run_uuid', 'IN', values, { cast: 'bpchar[]' });
  }
  return comparisonSql(params, 'r.run_uuid::text', comparator, value, { cast: Array.isArray(value) ? 'text[]' : 'text' });
}

function datasetSql(clause: Extract<RunClause, { entity: 'dataset' }>, params: SqlParams, alias: string): string {
  const input = `${alias}i`;
  if (clause.key === 'context') {
    const tag = `${alias}t`;
    const value = comparisonSql(params, `${tag}.tag ->> 'value'`, clause.comparator, clause.value, {
      cast: Array.isArray(clause.value) ? 'text[]' : 'text',
    });
    return `EXISTS (SELECT 1 FROM tracking.run_inputs ${input}, jsonb_array_elements(${input}.tags) AS ${tag}(tag)
      WHERE ${input}.run_id = r.run_id AND ${tag}.tag ->> 'key' = 'mlflow.data.context' AND ${value})`;
  }
  const dataset = `${alias}d`;
  const value = comparisonSql(params, `${dataset}.${clause.key}`, clause.comparator, clause.value, {
    cast: Array.isArray(clause.value) ? 'text[]' : undefined,
  });
  return `EXISTS (SELECT 1 FROM tracking.run_inputs ${input} JOIN tracking.datasets ${dataset} ON ${dataset}.dataset_id = ${input}.dataset_id
      WHERE ${input}.run_id = r.run_id AND ${value})`;
}
