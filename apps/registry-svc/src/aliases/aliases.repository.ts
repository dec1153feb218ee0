import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { ModelVersion } from '@cairn/contracts';
import type { Queryable } from '@cairn/nest-common';
import { PG_POOL } from '@cairn/nest-common';
import { toModelVersion, versionJson } from '../common/registry-json.sql';

@Injectable()
export class AliasesRepository {
  constructor(@Inject(PG_POOL) readonly pool: Pool) {}

  /** Points `alias` at `version`; returns the version it pointed at before, if any. */
  async set(db: Queryable, modelId: string, alias: string, version: number): Promise<number | undefined> {
    const { rows } = await db.query<{ previous: number | null }>(
      `WITH before AS (SELECT version FROM registry.registered_model_aliases WHERE model_id = $1 AND alias = $2)
       INSERT INTO registry.registered_model_aliases (model_id, alias, version) VALUES ($1, $2, $3)
       ON CONFLICT ON CONSTRAINT pk_registered_model_aliases DO UPDATE SET version = excluded.version
       RETURNING (SELECT version FROM before) AS previous`,
      [modelId, alias, version],
    );
    return rows[0]?.previous ?? undefined;
  }

  /** Removes `alias`; returns the version it pointed at, or undefined when there was none. */
  async delete(db: Queryable, modelId: string, alias: string): Promise<number | undefined> {
    const { rows } = await db.query<{ version: number }>(
      'DELETE FROM registry.registered_model_aliases WHERE model_id = $1 AND alias = $2 RETURNING version',
      [modelId, alias],
    );
    return rows[0]?.version;
  }

  /** Removes every alias of a version (it is being deleted); returns their names. */
  async deleteForVersion(db: Queryable, modelId: string, version: number): Promise<string[]> {
    const { rows } = await db.query<{ alias: string }>(
      'DELETE FROM registry.registered_model_aliases WHERE model_id = $1 AND version = $2 RETURNING alias',
      [modelId, version],
    );
    return rows.map((r) => r.alias).sort();
  }

  async versionOf(modelId: string, alias: string): Promise<number | undefined> {
    const { rows } = await this.pool.query<{ version: number }>(
      'SELECT version FROM registry.registered_model_aliases WHERE model_id = $1 AND alias = $2',
      [modelId, alias],
    );
    return rows[0]?.version;
  }

  /** The version `alias` points at, in one query: undefined when there is no such model, null when no such alias. */
  async resolve(name: string, alias: string): Promise<ModelVersion | null | undefined> {
    const { rows } = await this.pool.query<{ mv: Record<string, unknown> | null }>(
      `SELECT CASE WHEN v.model_id IS NULL THEN NULL ELSE ${versionJson('v', 'm.name')} END AS mv
       FROM registry.registered_models m
       LEFT JOIN registry.registered_model_aliases a ON a.model_id = m.model_id AND a.alias = $2
       LEFT JOIN registry.model_versions v ON v.model_id = a.model_id AND v.version = a.version
       WHERE m.name = $1`,
      [name, alias],
    );
    if (rows.length === 0) return undefined;
    return rows[0]!.mv && toModelVersion(rows[0]!.mv);
  }
}
