import type { ModelVersion, RegisteredModel } from '@cairn/contracts';

// The wire shapes of versions and models built in SQL, tags and aliases included, so a page of
// results is one query with no N+1. Reads and searches share these. NULL fields, which MLflow's
// JSON leaves out, are stripped in SQL too (json_strip_nulls): per row in JavaScript, that was
// the largest cost of a 5,000-version page.

/** A version `v` (of table model_versions) of the model named by `nameExpr`, as MLflow's JSON. */
export const versionJson = (v: string, nameExpr: string) => `json_strip_nulls(json_build_object(
  'name', ${nameExpr}, 'version', ${v}.version::text,
  'creation_timestamp', ${v}.creation_time, 'last_updated_timestamp', ${v}.last_updated_time,
  'user_id', ${v}.user_id, 'current_stage', ${v}.current_stage, 'description', ${v}.description,
  'source', ${v}.source, 'run_id', ${v}.run_id, 'status', ${v}.status, 'status_message', ${v}.status_message,
  'run_link', ${v}.run_link, 'model_id', ${v}.logged_model_id,
  'tags', coalesce((SELECT json_agg(json_build_object('key', t.key, 'value', t.value) ORDER BY t.key)
                    FROM registry.model_version_tags t
                    WHERE t.model_id = ${v}.model_id AND t.version = ${v}.version), '[]'::json),
  'aliases', coalesce((SELECT json_agg(a.alias ORDER BY a.alias) FROM registry.registered_model_aliases a
                       WHERE a.model_id = ${v}.model_id AND a.version = ${v}.version), '[]'::json)))`;

/** The newest version of each stage: four index probes, however many versions the model has. */
const latestVersionsJson = (m: string) => `coalesce((
  SELECT json_agg(${versionJson('lv', `${m}.name`)} ORDER BY lv.version)
  FROM unnest(ARRAY['None', 'Staging', 'Production', 'Archived']) AS s(stage)
  CROSS JOIN LATERAL (SELECT * FROM registry.model_versions v
                      WHERE v.model_id = ${m}.model_id AND v.current_stage = s.stage
                      ORDER BY v.version DESC LIMIT 1) lv), '[]'::json)`;

/** A registered model `m` as MLflow's JSON. */
export const modelJson = (m: string) => `json_strip_nulls(json_build_object(
  'name', ${m}.name, 'creation_timestamp', ${m}.creation_time, 'last_updated_timestamp', ${m}.last_updated_time,
  'description', ${m}.description,
  'latest_versions', ${latestVersionsJson(m)},
  'tags', coalesce((SELECT json_agg(json_build_object('key', t.key, 'value', t.value) ORDER BY t.key)
                    FROM registry.registered_model_tags t WHERE t.model_id = ${m}.model_id), '[]'::json),
  'aliases', coalesce((SELECT json_agg(json_build_object('alias', a.alias, 'version', a.version::text) ORDER BY a.alias)
                       FROM registry.registered_model_aliases a WHERE a.model_id = ${m}.model_id), '[]'::json)))`;

/** A version built by versionJson (its NULLs already stripped). */
export const toModelVersion = (json: Record<string, unknown>): ModelVersion => json as unknown as ModelVersion;

/** MLflow leaves an empty model description out (versions keep theirs, even empty). */
export function toRegisteredModel(json: Record<string, unknown>): RegisteredModel {
  const model = json as unknown as RegisteredModel;
  if (!model.description) delete model.description;
  return model;
}
