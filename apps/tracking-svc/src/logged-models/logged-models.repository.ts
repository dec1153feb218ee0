import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { LifecycleStage, LoggedModel, LoggedModelMetric, LoggedModelStatus, Param, Tag } from '@cairn/contracts';
import type { Queryable } from '@cairn/nest-common';
import { PG_POOL } from '@cairn/nest-common';

interface LoggedModelRow {
  model_id: string;
  experiment_id: string;
  name: string;
  artifact_location: string;
  creation_timestamp_ms: string;
  last_updated_timestamp_ms: string;
  status: LoggedModelStatus;
  model_type: string | null;
  source_run_id: string | null;
  tags: Tag[];
  params: Param[];
  metrics: LoggedModelMetric[];
}

/**
 * A logged model with its tags, params and metric points, aggregated in the same query (no N+1).
 * Metric points carry their run's public id; a point without a dataset leaves the dataset out.
 */
export const LOGGED_MODEL_COLUMNS = `
  m.model_id, m.experiment_id::text AS experiment_id, m.name, m.artifact_location,
  m.creation_timestamp_ms, m.last_updated_timestamp_ms, m.status, m.model_type, m.source_run_id,
  coalesce((SELECT json_agg(json_build_object('key', t.key, 'value', t.value) ORDER BY t.key)
            FROM tracking.logged_model_tags t WHERE t.model_id = m.model_id), '[]'::json) AS tags,
  coalesce((SELECT json_agg(json_build_object('key', p.key, 'value', p.value) ORDER BY p.key)
            FROM tracking.logged_model_params p WHERE p.model_id = m.model_id), '[]'::json) AS params,
  coalesce((SELECT json_agg(json_build_object(
                     'key', x.key, 'value', x.value, 'timestamp', x.timestamp, 'step', x.step,
                     'dataset_name', nullif(x.dataset_name, ''), 'dataset_digest', nullif(x.dataset_digest, ''),
                     'model_id', x.model_id, 'run_id', r.run_uuid)
                   ORDER BY x.key, x.step, x.timestamp, r.run_uuid)
            FROM tracking.logged_model_metrics x JOIN tracking.runs r ON r.run_id = x.run_id
            WHERE x.model_id = m.model_id), '[]'::json) AS metrics`;

export function toLoggedModel(row: LoggedModelRow): LoggedModel {
  return {
    info: {
      model_id: row.model_id,
      experiment_id: row.experiment_id,
      name: row.name,
      creation_timestamp_ms: Number(row.creation_timestamp_ms),
      last_updated_timestamp_ms: Number(row.last_updated_timestamp_ms),
      artifact_uri: row.artifact_location,
      status: row.status,
      model_type: row.model_type ?? undefined,
      source_run_id: row.source_run_id ?? undefined,
      tags: row.tags,
    },
    data: { params: row.params, metrics: row.metrics },
  };
}

export interface NewLoggedModel {
  modelId: string;
  experimentId: string;
  name: string;
  artifactLocation: string;
  modelType?: string;
  sourceRunId?: string;
  now: number;
}

export interface ParamConflict {
  key: string;
  existing: string;
  value: string;
}

@Injectable()
export class LoggedModelsRepository {
  constructor(@Inject(PG_POOL) readonly pool: Pool) {}

  /** The experiment a model is created in, share-locked so it is not deleted meanwhile. */
  async lockExperiment(db: Queryable, experimentId: string): Promise<{ artifactLocation: string; stage: LifecycleStage } | undefined> {
    const { rows } = await db.query<{ artifact_location: string; lifecycle_stage: LifecycleStage }>(
      'SELECT artifact_location, lifecycle_stage FROM tracking.experiments WHERE experiment_id = $1 FOR SHARE',
      [experimentId],
    );
    return rows[0] && { artifactLocation: rows[0].artifact_location, stage: rows[0].lifecycle_stage };
  }

  async insert(db: Queryable, model: NewLoggedModel): Promise<void> {
    await db.query(
      `INSERT INTO tracking.logged_models (model_id, experiment_id, name, artifact_location, creation_timestamp_ms,
                                           last_updated_timestamp_ms, status, model_type, source_run_id)
       VALUES ($1, $2, $3, $4, $5, $5, 'LOGGED_MODEL_PENDING', $6, $7)`,
      [model.modelId, model.experimentId, model.name, model.artifactLocation, model.now, model.modelType ?? null, model.sourceRunId ?? null],
    );
  }

  async findById(modelId: string, options: { allowDeleted?: boolean } = {}, db: Queryable = this.pool): Promise<LoggedModel | undefined> {
    const { rows } = await db.query<LoggedModelRow>(
      `SELECT ${LOGGED_MODEL_COLUMNS} FROM tracking.logged_models m
       WHERE m.model_id = $1 AND ($2 OR m.lifecycle_stage = 'active')`,
      [modelId, options.allowDeleted ?? false],
    );
    return rows[0] && toLoggedModel(rows[0]);
  }

  /** Locks the model row for the rest of the transaction; deleted models are found too (as in MLflow). */
  async lock(db: Queryable, modelId: string): Promise<boolean> {
    const { rowCount } = await db.query('SELECT 1 FROM tracking.logged_models WHERE model_id = $1 FOR UPDATE', [modelId]);
    return (rowCount ?? 0) > 0;
  }

  async setStatus(db: Queryable, modelId: string, status: LoggedModelStatus, now: number): Promise<void> {
    await db.query('UPDATE tracking.logged_models SET status = $2, last_updated_timestamp_ms = $3 WHERE model_id = $1', [
      modelId,
      status,
      now,
    ]);
  }

  async markDeleted(db: Queryable, modelId: string, now: number): Promise<void> {
    await db.query(
      `UPDATE tracking.logged_models SET lifecycle_stage = 'deleted', last_updated_timestamp_ms = $2 WHERE model_id = $1`,
      [modelId, now],
    );
  }

  async upsertTags(db: Queryable, modelId: string, tags: readonly Tag[]): Promise<void> {
    if (tags.length === 0) return;
    await db.query(
      `INSERT INTO tracking.logged_model_tags (model_id, key, value)
       SELECT $1, t.key, t.value FROM unnest($2::text[], $3::text[]) AS t(key, value)
       ON CONFLICT ON CONSTRAINT pk_logged_model_tags DO UPDATE SET value = excluded.value`,
      [modelId, tags.map((t) => t.key), tags.map((t) => t.value)],
    );
  }

  /** Returns false when the model had no such tag. */
  async deleteTag(db: Queryable, modelId: string, key: string): Promise<boolean> {
    const { rowCount } = await db.query('DELETE FROM tracking.logged_model_tags WHERE model_id = $1 AND key = $2', [modelId, key]);
    return (rowCount ?? 0) > 0;
  }

  /**
   * Inserts the params the model does not have yet and returns those it already has with another
   * value (the caller refuses the change; the model row must be locked).
   */
  async insertParams(db: Queryable, modelId: string, params: readonly Param[]): Promise<ParamConflict[]> {
    if (params.length === 0) return [];
    const { rows } = await db.query<ParamConflict>(
      `WITH input AS (SELECT * FROM unnest($2::text[], $3::text[]) AS i(key, value)),
       inserted AS (
         INSERT INTO tracking.logged_model_params (model_id, key, value) SELECT $1, key, value FROM input
         ON CONFLICT ON CONSTRAINT pk_logged_model_params DO NOTHING)
       SELECT i.key, p.value AS existing, i.value FROM input i
       JOIN tracking.logged_model_params p ON p.model_id = $1 AND p.key = i.key
       WHERE p.value <> i.value ORDER BY i.key`,
      [modelId, params.map((p) => p.key), params.map((p) => p.value)],
    );
    return rows;
  }
}
