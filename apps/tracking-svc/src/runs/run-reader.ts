import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { DatasetInput, LifecycleStage, Metric, Param, Run, RunStatus, RunTag } from '@cairn/contracts';
import type { Queryable } from '@cairn/nest-common';
import { PG_POOL } from '@cairn/nest-common';

interface RunRow {
  run_id: string;
  run_uuid: string;
  experiment_id: string;
  name: string;
  user_id: string | null;
  status: RunStatus;
  start_time: string;
  end_time: string | null;
  artifact_uri: string;
  lifecycle_stage: LifecycleStage;
  metrics: Metric[];
  params: Param[];
  tags: RunTag[];
  dataset_inputs: DatasetInput[];
  model_inputs: { model_id: string }[];
  model_outputs: { model_id: string; step: number }[];
}

/**
 * Full runs (info, latest metrics, params, tags, inputs, outputs) in one query for any number of
 * runs: what runs/get and every page of search-runs return. PostgreSQL writes NaN and ±Infinity
 * doubles into JSON as the strings "NaN", "Infinity", "-Infinity", which is MLflow's wire form.
 */
export const RUN_SELECT = `
  SELECT r.run_id, r.run_uuid, r.experiment_id::text AS experiment_id, r.name, r.user_id, r.status,
         r.start_time, r.end_time, r.artifact_uri, r.lifecycle_stage,
    coalesce((SELECT json_agg(json_build_object('key', m.key, 'value', m.value, 'timestamp', m.timestamp, 'step', m.step) ORDER BY m.key)
              FROM tracking.latest_metrics m WHERE m.run_id = r.run_id), '[]'::json) AS metrics,
    coalesce((SELECT json_agg(json_build_object('key', p.key, 'value', p.value) ORDER BY p.key)
              FROM tracking.params p WHERE p.run_id = r.run_id), '[]'::json) AS params,
    coalesce((SELECT json_agg(json_build_object('key', t.key, 'value', t.value) ORDER BY t.key)
              FROM tracking.tags t WHERE t.run_id = r.run_id), '[]'::json) AS tags,
    coalesce((SELECT json_agg(json_build_object('tags', ri.tags, 'dataset', json_strip_nulls(json_build_object(
                'name', d.name, 'digest', d.digest, 'source_type', d.source_type, 'source', d.source,
                'schema', d.schema, 'profile', d.profile))) ORDER BY d.dataset_id)
              FROM tracking.run_inputs ri JOIN tracking.datasets d ON d.dataset_id = ri.dataset_id
              WHERE ri.run_id = r.run_id), '[]'::json) AS dataset_inputs,
    coalesce((SELECT json_agg(json_build_object('model_id', mi.model_id) ORDER BY mi.model_id)
              FROM tracking.run_model_inputs mi WHERE mi.run_id = r.run_id), '[]'::json) AS model_inputs,
    coalesce((SELECT json_agg(json_build_object('model_id', mo.model_id, 'step', mo.step) ORDER BY mo.step, mo.model_id)
              FROM tracking.run_model_outputs mo WHERE mo.run_id = r.run_id), '[]'::json) AS model_outputs
  FROM tracking.runs r`;

export function toRun(row: RunRow): Run {
  return {
    info: {
      run_id: row.run_uuid,
      run_uuid: row.run_uuid,
      run_name: row.name,
      experiment_id: row.experiment_id,
      user_id: row.user_id ?? undefined,
      status: row.status,
      start_time: Number(row.start_time),
      end_time: row.end_time === null ? undefined : Number(row.end_time),
      artifact_uri: row.artifact_uri,
      lifecycle_stage: row.lifecycle_stage,
    },
    data: { metrics: row.metrics, params: row.params, tags: row.tags },
    inputs: { dataset_inputs: row.dataset_inputs, model_inputs: row.model_inputs },
    outputs: { model_outputs: row.model_outputs },
  };
}

@Injectable()
export class RunReader {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async byUuid(runUuid: string, db: Queryable = this.pool): Promise<Run | undefined> {
    const { rows } = await db.query<RunRow>(`${RUN_SELECT} WHERE r.run_uuid = $1`, [runUuid]);
    return rows[0] && toRun(rows[0]);
  }

  /** Full runs for internal ids, in the order given (a search page's order). */
  async byIds(runIds: readonly string[], db: Queryable = this.pool): Promise<Run[]> {
    if (runIds.length === 0) return [];
    const { rows } = await db.query<RunRow>(
      `${RUN_SELECT} JOIN unnest($1::bigint[]) WITH ORDINALITY AS page(run_id, position) ON page.run_id = r.run_id
       ORDER BY page.position`,
      [runIds],
    );
    return rows.map(toRun);
  }
}
