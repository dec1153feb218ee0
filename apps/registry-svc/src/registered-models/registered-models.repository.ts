import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { ModelVersion, RegisteredModel, Tag } from '@cairn/contracts';
import type { Queryable } from '@cairn/nest-common';
import { PG_POOL } from '@cairn/nest-common';
import { modelJson, toModelVersion, toRegisteredModel, versionJson } from '../common/registry-json.sql';
import { IS_PROMPT_TAG_KEY } from '../common/prompts';

/** A registered model row locked for the rest of a transaction. */
export interface LockedModel {
  modelId: string;
  name: string;
  description: string | null;
  isPrompt: boolean;
}

export const UNIQUE_MODEL_NAME = 'uq_registered_models_name';

@Injectable()
export class RegisteredModelsRepository {
  constructor(@Inject(PG_POOL) readonly pool: Pool) {}

  async insert(db: Queryable, model: { name: string; description?: string; tags: Tag[]; now: number }): Promise<string> {
    const { rows } = await db.query<{ model_id: string }>(
      `INSERT INTO registry.registered_models (name, description, creation_time, last_updated_time)
       VALUES ($1, $2, $3, $3) RETURNING model_id::text`,
      [model.name, model.description ?? null, model.now],
    );
    const modelId = rows[0]!.model_id;
    if (model.tags.length > 0) {
      await db.query(
        `INSERT INTO registry.registered_model_tags (model_id, key, value)
         SELECT $1, t.key, t.value FROM unnest($2::text[], $3::text[]) AS t(key, value)`,
        [modelId, model.tags.map((t) => t.key), model.tags.map((t) => t.value)],
      );
    }
    return modelId;
  }

  async findByName(name: string, db: Queryable = this.pool): Promise<RegisteredModel | undefined> {
    const { rows } = await db.query<{ rm: Record<string, unknown> }>(
      `SELECT ${modelJson('m')} AS rm FROM registry.registered_models m WHERE m.name = $1`,
      [name],
    );
    return rows[0] && toRegisteredModel(rows[0].rm);
  }

  async idOf(name: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ model_id: string }>(
      'SELECT model_id::text FROM registry.registered_models WHERE name = $1',
      [name],
    );
    return rows[0]?.model_id;
  }

  /** Locks the model row: changes to one model (and its version numbers) are serialized. */
  async lock(db: Queryable, name: string): Promise<LockedModel | undefined> {
    const { rows } = await db.query<LockedModel>(
      `SELECT m.model_id::text AS "modelId", m.name, m.description,
              EXISTS (SELECT 1 FROM registry.registered_model_tags t
                      WHERE t.model_id = m.model_id AND t.key = $2 AND t.value = 'true') AS "isPrompt"
       FROM registry.registered_models m WHERE m.name = $1 FOR UPDATE`,
      [name, IS_PROMPT_TAG_KEY],
    );
    return rows[0];
  }

  async touch(db: Queryable, modelId: string, now: number): Promise<void> {
    await db.query('UPDATE registry.registered_models SET last_updated_time = $2 WHERE model_id = $1', [modelId, now]);
  }

  /** The next version number: a per-model counter, so deleted numbers are never reused. */
  async allocateVersion(db: Queryable, modelId: string, now: number): Promise<number> {
    const { rows } = await db.query<{ last_version: number }>(
      `UPDATE registry.registered_models SET last_version = last_version + 1, last_updated_time = $2
       WHERE model_id = $1 RETURNING last_version`,
      [modelId, now],
    );
    return rows[0]!.last_version;
  }

  /** One row renamed; MLflow also bumps every version's last update, so Cairn does too. */
  async rename(db: Queryable, modelId: string, newName: string, now: number): Promise<void> {
    await db.query('UPDATE registry.registered_models SET name = $2, last_updated_time = $3 WHERE model_id = $1', [
      modelId,
      newName,
      now,
    ]);
    await db.query('UPDATE registry.model_versions SET last_updated_time = $2 WHERE model_id = $1', [modelId, now]);
  }

  async setDescription(db: Queryable, modelId: string, description: string | null, now: number): Promise<void> {
    await db.query('UPDATE registry.registered_models SET description = $2, last_updated_time = $3 WHERE model_id = $1', [
      modelId,
      description,
      now,
    ]);
  }

  /** Hard delete: versions, tags and aliases go with the model. */
  async delete(db: Queryable, modelId: string): Promise<void> {
    await db.query('DELETE FROM registry.registered_models WHERE model_id = $1', [modelId]);
  }

  async setTag(db: Queryable, modelId: string, tag: Tag): Promise<void> {
    await db.query(
      `INSERT INTO registry.registered_model_tags (model_id, key, value) VALUES ($1, $2, $3)
       ON CONFLICT ON CONSTRAINT pk_registered_model_tags DO UPDATE SET value = excluded.value`,
      [modelId, tag.key, tag.value],
    );
  }

  /** Returns false when there was no such tag. */
  async deleteTag(db: Queryable, modelId: string, key: string): Promise<boolean> {
    const { rowCount } = await db.query('DELETE FROM registry.registered_model_tags WHERE model_id = $1 AND key = $2', [
      modelId,
      key,
    ]);
    return (rowCount ?? 0) > 0;
  }

  /** The newest live version in each of `stages`, oldest first. */
  async latestVersions(modelId: string, stages: readonly string[]): Promise<ModelVersion[]> {
    const { rows } = await this.pool.query<{ mv: Record<string, unknown> }>(
      `SELECT ${versionJson('lv', 'm.name')} AS mv
       FROM registry.registered_models m
       CROSS JOIN unnest($2::text[]) AS s(stage)
       CROSS JOIN LATERAL (SELECT * FROM registry.model_versions v
                           WHERE v.model_id = m.model_id AND v.current_stage = s.stage
                           ORDER BY v.version DESC LIMIT 1) lv
       WHERE m.model_id = $1
       ORDER BY lv.version`,
      [modelId, stages],
    );
    return rows.map((r) => toModelVersion(r.mv));
  }
}
