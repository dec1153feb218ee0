import { Injectable } from '@nestjs/common';
import { invalidParameter, notFound } from '@cairn/contracts';
import type { Queryable } from '@cairn/nest-common';

/** A validated metric point a run logged for a model (log-metric / log-batch with `model_id`). */
export interface ModelMetricPoint {
  key: string;
  value: number;
  timestamp: number;
  step: number;
  /** Points without a model are not the model's; record() skips them. */
  model_id?: string;
  dataset_name?: string;
  dataset_digest?: string;
}

/**
 * The model side of MLflow 3 metric logging: a point logged with a `model_id` also belongs to that
 * model (`LoggedModelData.metrics`). No dependencies of its own, so the runs module can provide it
 * directly and call it inside its own transaction, after the run's points are written.
 */
@Injectable()
export class LoggedModelMetrics {
  /**
   * Records the points that carry a `model_id` for the run `runUuid` (which the caller has found
   * active). Re-sent points are no-ops. An unknown model is RESOURCE_DOES_NOT_EXIST, which rolls
   * the caller's transaction back.
   */
  async record(db: Queryable, runUuid: string, metrics: readonly ModelMetricPoint[]): Promise<void> {
    const points = metrics.filter((m): m is ModelMetricPoint & { model_id: string } => !!m.model_id);
    if (points.length === 0) return;
    for (const p of points) {
      if ((p.dataset_name ?? '').length > 500) throw invalidParameter("'dataset_name' exceeds the maximum length of 500 characters");
      if ((p.dataset_digest ?? '').length > 36) throw invalidParameter("'dataset_digest' exceeds the maximum length of 36 characters");
    }
    const modelIds = [...new Set(points.map((p) => p.model_id))];
    const { rows } = await db.query<{ model_id: string }>(
      'SELECT model_id FROM tracking.logged_models WHERE model_id = ANY($1::text[])',
      [modelIds],
    );
    const known = new Set(rows.map((r) => r.model_id));
    const missing = modelIds.find((id) => !known.has(id));
    if (missing !== undefined) throw notFound(`Logged model with ID '${missing}' not found.`);
    const sorted = [...points].sort((a, b) => (a.model_id < b.model_id ? -1 : a.model_id > b.model_id ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    await db.query(
      `INSERT INTO tracking.logged_model_metrics (model_id, key, timestamp, step, value, run_id, dataset_name, dataset_digest)
       SELECT p.model_id, p.key, p.timestamp, p.step, p.value, r.run_id, p.dataset_name, p.dataset_digest
       FROM unnest($2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::double precision[], $7::text[], $8::text[])
            AS p(model_id, key, timestamp, step, value, dataset_name, dataset_digest)
       JOIN tracking.runs r ON r.run_uuid = $1
       ON CONFLICT ON CONSTRAINT pk_logged_model_metrics DO NOTHING`,
      [
        runUuid,
        sorted.map((p) => p.model_id),
        sorted.map((p) => p.key),
        sorted.map((p) => p.timestamp),
        sorted.map((p) => p.step),
        sorted.map((p) => p.value),
        sorted.map((p) => p.dataset_name ?? ''),
        sorted.map((p) => p.dataset_digest ?? ''),
      ],
    );
  }
}
