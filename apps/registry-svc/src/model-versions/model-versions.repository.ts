import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { ModelVersion, ModelVersionStage, Tag } from '@cairn/contracts';
import type { Queryable } from '@cairn/nest-common';
import { PG_POOL } from '@cairn/nest-common';
import { toModelVersion, versionJson } from '../common/registry-json.sql';
import { MAX_STORED_VERSION } from '../common/limits';
import { DELETED_INTERNAL } from '../common/stages';

export interface NewModelVersion {
  modelId: string;
  version: number;
  source: string;
  storageLocation: string;
  runId: string;
  runLink: string;
  description: string;
  loggedModelId?: string;
  tags: Tag[];
  now: number;
}

/** A live version row locked for the rest of a transaction. */
export interface LockedVersion {
  version: number;
  stage: ModelVersionStage;
  description: string | null;
}

const storable = (version: number) => version >= 0 && version <= MAX_STORED_VERSION;

@Injectable()
export class ModelVersionsRepository {
  constructor(@Inject(PG_POOL) readonly pool: Pool) {}

  async insert(db: Queryable, mv: NewModelVersion): Promise<void> {
    await db.query(
      `INSERT INTO registry.model_versions (model_id, version, creation_time, last_updated_time, description, source,
                                            storage_location, run_id, run_link, logged_model_id)
       VALUES ($1, $2, $3, $3, $4, $5, $6, $7, $8, $9)`,
      [mv.modelId, mv.version, mv.now, mv.description, mv.source, mv.storageLocation, mv.runId, mv.runLink, mv.loggedModelId ?? null],
    );
    if (mv.tags.length > 0) {
      await db.query(
        `INSERT INTO registry.model_version_tags (model_id, version, key, value)
         SELECT $1, $2, t.key, t.value FROM unnest($3::text[], $4::text[]) AS t(key, value)`,
        [mv.modelId, mv.version, mv.tags.map((t) => t.key), mv.tags.map((t) => t.value)],
      );
    }
  }

  /** A live (not soft-deleted) version, as MLflow's JSON. */
  async find(modelId: string, version: number, db: Queryable = this.pool): Promise<ModelVersion | undefined> {
    if (!storable(version)) return undefined;
    const { rows } = await db.query<{ mv: Record<string, unknown> }>(
      `SELECT ${versionJson('v', 'm.name')} AS mv
       FROM registry.model_versions v JOIN registry.registered_models m ON m.model_id = v.model_id
       WHERE v.model_id = $1 AND v.version = $2 AND v.current_stage <> $3`,
      [modelId, version, DELETED_INTERNAL],
    );
    return rows[0] && toModelVersion(rows[0].mv);
  }

  /** As `find`, by model name: one query for the hot read path. */
  async findByName(name: string, version: number): Promise<ModelVersion | undefined> {
    if (!storable(version)) return undefined;
    const { rows } = await this.pool.query<{ mv: Record<string, unknown> }>(
      `SELECT ${versionJson('v', 'm.name')} AS mv
       FROM registry.registered_models m JOIN registry.model_versions v ON v.model_id = m.model_id
       WHERE m.name = $1 AND v.version = $2 AND v.current_stage <> $3`,
      [name, version, DELETED_INTERNAL],
    );
    return rows[0] && toModelVersion(rows[0].mv);
  }

  async lock(db: Queryable, modelId: string, version: number): Promise<LockedVersion | undefined> {
    if (!storable(version)) return undefined;
    const { rows } = await db.query<LockedVersion>(
      `SELECT version, current_stage AS stage, description FROM registry.model_versions
       WHERE model_id = $1 AND version = $2 AND current_stage <> $3 FOR UPDATE`,
      [modelId, version, DELETED_INTERNAL],
    );
    return rows[0];
  }

  /** `storage_location` when set, else `source`, of a live version of the model named `name`. */
  async downloadUri(name: string, version: number): Promise<string | undefined> {
    if (!storable(version)) return undefined;
    const { rows } = await this.pool.query<{ uri: string }>(
      `SELECT coalesce(nullif(v.storage_location, ''), v.source) AS uri
       FROM registry.registered_models m JOIN registry.model_versions v ON v.model_id = m.model_id
       WHERE m.name = $1 AND v.version = $2 AND v.current_stage <> $3`,
      [name, version, DELETED_INTERNAL],
    );
    return rows[0]?.uri;
  }

  async setDescription(db: Queryable, modelId: string, version: number, description: string | null, now: number): Promise<void> {
    await db.query(
      'UPDATE registry.model_versions SET description = $3, last_updated_time = $4 WHERE model_id = $1 AND version = $2',
      [modelId, version, description, now],
    );
  }

  async setStage(db: Queryable, modelId: string, version: number, stage: ModelVersionStage, now: number): Promise<void> {
    await db.query(
      'UPDATE registry.model_versions SET current_stage = $3, last_updated_time = $4 WHERE model_id = $1 AND version = $2',
      [modelId, version, stage, now],
    );
  }

  /** Moves every other version in `stage` to Archived; returns their numbers. */
  async archiveOthers(db: Queryable, modelId: string, version: number, stage: ModelVersionStage, now: number): Promise<number[]> {
    const { rows } = await db.query<{ version: number }>(
      `UPDATE registry.model_versions SET current_stage = 'Archived', last_updated_time = $4
       WHERE model_id = $1 AND version <> $2 AND current_stage = $3 RETURNING version`,
      [modelId, version, stage, now],
    );
    return rows.map((r) => r.version).sort((a, b) => a - b);
  }

  /** MLflow's soft delete: the number stays taken, the lineage is redacted, tags are kept. */
  async softDelete(db: Queryable, modelId: string, version: number, now: number): Promise<void> {
    await db.query(
      `UPDATE registry.model_versions
       SET current_stage = $3, last_updated_time = $4, description = NULL, user_id = NULL, status_message = NULL,
           source = 'REDACTED-SOURCE-PATH', storage_location = NULL, run_id = 'REDACTED-RUN-ID',
           run_link = 'REDACTED-RUN-LINK'
       WHERE model_id = $1 AND version = $2`,
      [modelId, version, DELETED_INTERNAL, now],
    );
  }

  async setTag(db: Queryable, modelId: string, version: number, tag: Tag): Promise<void> {
    await db.query(
      `INSERT INTO registry.model_version_tags (model_id, version, key, value) VALUES ($1, $2, $3, $4)
       ON CONFLICT ON CONSTRAINT pk_model_version_tags DO UPDATE SET value = excluded.value`,
      [modelId, version, tag.key, tag.value],
    );
  }

  async deleteTag(db: Queryable, modelId: string, version: number, key: string): Promise<boolean> {
    const { rowCount } = await db.query(
      'DELETE FROM registry.model_version_tags WHERE model_id = $1 AND version = $2 AND key = $3',
      [modelId, version, key],
    );
    return (rowCount ?? 0) > 0;
  }
}
