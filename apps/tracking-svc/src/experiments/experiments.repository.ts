import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Experiment, LifecycleStage, Tag } from '@cairn/contracts';
import type { Queryable } from '@cairn/nest-common';
import { PG_POOL } from '@cairn/nest-common';

interface ExperimentRow {
  experiment_id: string;
  name: string;
  artifact_location: string;
  lifecycle_stage: LifecycleStage;
  creation_time: string;
  last_update_time: string;
  tags: Tag[];
}

/** Columns of an experiment with its tags aggregated in the same query (no N+1). */
export const EXPERIMENT_COLUMNS = `
  e.experiment_id::text AS experiment_id, e.name, e.artifact_location, e.lifecycle_stage,
  e.creation_time, e.last_update_time,
  coalesce((SELECT json_agg(json_build_object('key', t.key, 'value', t.value) ORDER BY t.key)
            FROM tracking.experiment_tags t WHERE t.experiment_id = e.experiment_id), '[]'::json) AS tags`;

export function toExperiment(row: ExperimentRow): Experiment {
  return {
    experiment_id: row.experiment_id,
    name: row.name,
    artifact_location: row.artifact_location,
    lifecycle_stage: row.lifecycle_stage,
    creation_time: Number(row.creation_time),
    last_update_time: Number(row.last_update_time),
    tags: row.tags,
  };
}

export interface NewExperiment {
  name: string;
  artifactLocation?: string;
  tags: Tag[];
  now: number;
}

@Injectable()
export class ExperimentsRepository {
  constructor(@Inject(PG_POOL) readonly pool: Pool) {}

  /** Inserts the experiment and its tags; the default artifact root is derived from the new id. */
  async insert(db: Queryable, exp: NewExperiment): Promise<string> {
    const { rows } = await db.query<{ experiment_id: string }>(
      `WITH next AS (SELECT nextval(pg_get_serial_sequence('tracking.experiments', 'experiment_id')) AS id)
       INSERT INTO tracking.experiments (experiment_id, name, artifact_location, creation_time, last_update_time)
       SELECT next.id, $1, coalesce($2, 'mlflow-artifacts:/' || next.id), $3, $3 FROM next
       RETURNING experiment_id::text`,
      [exp.name, exp.artifactLocation ?? null, exp.now],
    );
    const id = rows[0]!.experiment_id;
    if (exp.tags.length > 0) await this.upsertTags(db, id, exp.tags);
    return id;
  }

  async findById(id: string, db: Queryable = this.pool): Promise<Experiment | undefined> {
    const { rows } = await db.query<ExperimentRow>(
      `SELECT ${EXPERIMENT_COLUMNS} FROM tracking.experiments e WHERE e.experiment_id = $1`,
      [id],
    );
    return rows[0] && toExperiment(rows[0]);
  }

  async findByName(name: string): Promise<Experiment | undefined> {
    const { rows } = await this.pool.query<ExperimentRow>(
      `SELECT ${EXPERIMENT_COLUMNS} FROM tracking.experiments e WHERE e.name = $1`,
      [name],
    );
    return rows[0] && toExperiment(rows[0]);
  }

  /** Locks the experiment row for the rest of the transaction and returns its stage. */
  async lockStage(db: Queryable, id: string): Promise<LifecycleStage | undefined> {
    const { rows } = await db.query<{ lifecycle_stage: LifecycleStage }>(
      'SELECT lifecycle_stage FROM tracking.experiments WHERE experiment_id = $1 FOR UPDATE',
      [id],
    );
    return rows[0]?.lifecycle_stage;
  }

  async rename(db: Queryable, id: string, name: string, now: number): Promise<void> {
    await db.query('UPDATE tracking.experiments SET name = $2, last_update_time = $3 WHERE experiment_id = $1', [id, name, now]);
  }

  async setLifecycleStage(db: Queryable, id: string, stage: LifecycleStage, now: number): Promise<void> {
    await db.query(
      `UPDATE tracking.experiments SET lifecycle_stage = $2, last_update_time = $3, deleted_time = $4
       WHERE experiment_id = $1`,
      [id, stage, now, stage === 'deleted' ? now : null],
    );
  }

  /** MLflow moves every run of an experiment with it when the experiment is deleted or restored. */
  async setRunsLifecycleStage(db: Queryable, id: string, stage: LifecycleStage, now: number): Promise<void> {
    await db.query('UPDATE tracking.runs SET lifecycle_stage = $2, deleted_time = $3 WHERE experiment_id = $1', [
      id,
      stage,
      stage === 'deleted' ? now : null,
    ]);
  }

  async upsertTags(db: Queryable, id: string, tags: readonly Tag[]): Promise<void> {
    await db.query(
      `INSERT INTO tracking.experiment_tags (experiment_id, key, value)
       SELECT $1, t.key, t.value FROM unnest($2::text[], $3::text[]) AS t(key, value)
       ON CONFLICT ON CONSTRAINT pk_experiment_tags DO UPDATE SET value = excluded.value`,
      [id, tags.map((t) => t.key), tags.map((t) => t.value)],
    );
  }

  /** Returns false when there was no such tag. */
  async deleteTag(db: Queryable, id: string, key: string): Promise<boolean> {
    const { rowCount } = await db.query('DELETE FROM tracking.experiment_tags WHERE experiment_id = $1 AND key = $2', [id, key]);
    return (rowCount ?? 0) > 0;
  }
}
