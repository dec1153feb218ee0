import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Dataset, DatasetSummary, LifecycleStage, ModelOutput, Tag } from '@cairn/contracts';
import type { Queryable } from '@cairn/nest-common';
import { PG_POOL } from '@cairn/nest-common';
import { DATASET_CONTEXT_TAG } from './dataset.rules';

/** The parts of a run that logging inputs and outputs needs: its row id, experiment and stage. */
export interface RunRef {
  runId: string;
  experimentId: string;
  stage: LifecycleStage;
}

const MAX_DATASET_SUMMARIES = 1000; // MLflow's MAX_DATASET_SUMMARIES_RESULTS

@Injectable()
export class DatasetsRepository {
  constructor(@Inject(PG_POOL) readonly pool: Pool) {}

  /** The run, share-locked so it cannot be deleted while inputs are written to it. */
  async lockRun(db: Queryable, runUuid: string): Promise<RunRef | undefined> {
    const { rows } = await db.query<{ run_id: string; experiment_id: string; lifecycle_stage: LifecycleStage }>(
      'SELECT run_id, experiment_id, lifecycle_stage FROM tracking.runs WHERE run_uuid = $1 FOR SHARE',
      [runUuid],
    );
    const row = rows[0];
    return row && { runId: row.run_id, experimentId: row.experiment_id, stage: row.lifecycle_stage };
  }

  /** Which of `modelIds` name a logged model (deleted ones included, as MLflow looks them up). */
  async existingModelIds(db: Queryable, modelIds: readonly string[]): Promise<Set<string>> {
    if (modelIds.length === 0) return new Set();
    const { rows } = await db.query<{ model_id: string }>(
      'SELECT model_id FROM tracking.logged_models WHERE model_id = ANY($1::text[])',
      [modelIds],
    );
    return new Set(rows.map((r) => r.model_id));
  }

  /**
   * The ids of the experiment's datasets with these (name, digest) pairs, in the order given,
   * creating the missing ones. A dataset already known keeps its first source, schema and profile.
   */
  async upsertDatasets(db: Queryable, experimentId: string, datasets: readonly Dataset[]): Promise<string[]> {
    if (datasets.length === 0) return [];
    const column = (pick: (d: Dataset) => string | undefined) => datasets.map((d) => pick(d) ?? null);
    await db.query(
      `INSERT INTO tracking.datasets (experiment_id, name, digest, source_type, source, schema, profile)
       SELECT $1, d.name, d.digest, d.source_type, d.source, d.schema, d.profile
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
            AS d(name, digest, source_type, source, schema, profile)
       ON CONFLICT ON CONSTRAINT uq_datasets_experiment_name_digest DO NOTHING`,
      [
        experimentId,
        column((d) => d.name),
        column((d) => d.digest),
        column((d) => d.source_type),
        column((d) => d.source),
        column((d) => d.schema),
        column((d) => d.profile),
      ],
    );
    const { rows } = await db.query<{ dataset_id: string }>(
      `SELECT d.dataset_id FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS k(name, digest, position)
       JOIN tracking.datasets d ON d.experiment_id = $1 AND d.name = k.name AND d.digest = k.digest
       ORDER BY k.position`,
      [experimentId, column((d) => d.name), column((d) => d.digest)],
    );
    return rows.map((r) => r.dataset_id);
  }

  /** Links datasets to the run with their input tags (one list per dataset, in the same order). A
   * dataset the run already has keeps its first tags, as in MLflow. */
  async insertRunInputs(db: Queryable, runId: string, datasetIds: readonly string[], tags: readonly Tag[][]): Promise<void> {
    if (datasetIds.length === 0) return;
    await db.query(
      `INSERT INTO tracking.run_inputs (run_id, dataset_id, tags)
       SELECT $1, d.dataset_id, t.tags
       FROM unnest($2::bigint[]) WITH ORDINALITY AS d(dataset_id, position)
       JOIN jsonb_array_elements($3::jsonb) WITH ORDINALITY AS t(tags, position) USING (position)
       ON CONFLICT ON CONSTRAINT pk_run_inputs DO NOTHING`,
      [runId, datasetIds, JSON.stringify(tags)],
    );
  }

  async insertModelInputs(db: Queryable, runId: string, modelIds: readonly string[]): Promise<void> {
    if (modelIds.length === 0) return;
    await db.query(
      `INSERT INTO tracking.run_model_inputs (run_id, model_id) SELECT $1, unnest($2::text[])
       ON CONFLICT ON CONSTRAINT pk_run_model_inputs DO NOTHING`,
      [runId, modelIds],
    );
  }

  async insertModelOutputs(db: Queryable, runId: string, outputs: readonly ModelOutput[]): Promise<void> {
    if (outputs.length === 0) return;
    await db.query(
      `INSERT INTO tracking.run_model_outputs (run_id, model_id, step)
       SELECT $1, o.model_id, o.step FROM unnest($2::text[], $3::bigint[]) AS o(model_id, step)
       ON CONFLICT ON CONSTRAINT pk_run_model_outputs DO NOTHING`,
      [runId, outputs.map((o) => o.model_id), outputs.map((o) => o.step)],
    );
  }

  /** Distinct (experiment, name, digest, context) of the datasets runs used, at most 1000. */
  async summaries(experimentIds: readonly string[]): Promise<DatasetSummary[]> {
    const { rows } = await this.pool.query<{ experiment_id: string; name: string; digest: string; context: string | null }>(
      `SELECT DISTINCT d.experiment_id, d.name, d.digest, ctx.value AS context
       FROM tracking.datasets d
       JOIN tracking.run_inputs ri ON ri.dataset_id = d.dataset_id
       LEFT JOIN LATERAL (SELECT t->>'value' AS value FROM jsonb_array_elements(ri.tags) AS t
                          WHERE t->>'key' = $2 LIMIT 1) ctx ON true
       WHERE d.experiment_id = ANY($1::bigint[])
       ORDER BY d.experiment_id, d.name, d.digest, context NULLS FIRST
       LIMIT ${MAX_DATASET_SUMMARIES}`,
      [experimentIds, DATASET_CONTEXT_TAG],
    );
    return rows.map((r) => ({
      experiment_id: String(r.experiment_id),
      name: r.name,
      digest: r.digest,
      context: r.context ?? undefined,
    }));
  }
}
