import { Injectable } from '@nestjs/common';
import type { LogBatchRequest, LogMetricRequest, LogModelRequest, LogParamRequest, LoggedMetric, Param, RunTag } from '@cairn/contracts';
import { invalidParameter } from '@cairn/contracts';
import { isUniqueViolation, withTransaction } from '@cairn/nest-common';
import { parseRunId } from '../common/run-id';
import type { ModelMetricPoint } from '../logged-models/logged-model-metrics';
import { LoggedModelMetrics } from '../logged-models/logged-model-metrics';
import { ActiveRun } from './active-run';
import type { MetricPoint } from './run.rules';
import {
  changedParamError,
  changedParamsError,
  RUN_NAME_TAG,
  validateBatchLimits,
  validateMetric,
  validateMetrics,
  validateParam,
  validateTag,
  validateUniqueParamKeys,
} from './run.rules';
import { RunsRepository } from './runs.repository';
import type { PyValue } from './model-tags';
import { modelTagsDict, pyJsonDumps } from './model-tags';

export const MODEL_HISTORY_TAG = 'mlflow.log-model.history';
const MODEL_JSON_FIELDS = ['artifact_path', 'flavors', 'utc_time_created', 'run_id'];

/** What a run logs: params (immutable), metrics (append-only), tags, batches of all three, models. */
@Injectable()
export class RunLoggingService {
  constructor(
    private readonly runs: RunsRepository,
    private readonly active: ActiveRun,
    private readonly modelMetrics: LoggedModelMetrics,
  ) {}

  logParam(req: LogParamRequest): Promise<void> {
    return this.write({ run_id: req.run_id, params: [{ key: req.key, value: req.value }] }, 'single');
  }

  logMetric(req: LogMetricRequest): Promise<void> {
    const { key, value, timestamp, step, model_id, dataset_name, dataset_digest } = req;
    return this.logBatch({ run_id: req.run_id, metrics: [{ key, value, timestamp, step: step ?? 0, model_id, dataset_name, dataset_digest }] });
  }

  /** One transaction: every metric, param and tag of the request is written, or none is. */
  logBatch(req: LogBatchRequest): Promise<void> {
    return this.write(req, 'batch');
  }

  private async write(req: LogBatchRequest, form: 'single' | 'batch'): Promise<void> {
    const metrics = req.metrics ?? [];
    const params = req.params ?? [];
    const tags = req.tags ?? [];
    validateBatchLimits(metrics.length, params.length, tags.length);
    const batch: ValidBatch = {
      points: validateMetrics(metrics),
      params: params.map(validateParam),
      tags: lastValuePerKey(tags.map(validateTag)),
      modelPoints: modelMetricPoints(metrics),
    };
    validateUniqueParamKeys(batch.params);
    try {
      await this.writeOnce(req.run_id, batch, form, false);
    } catch (err) {
      if (!isUniqueViolation(err, 'pk_metrics')) throw err;
      await this.writeOnce(req.run_id, batch, form, true);
    }
  }

  /** `dedupe`: some points may be there already (a client re-sending them); skip those. */
  private async writeOnce(runUuid: string, batch: ValidBatch, form: 'single' | 'batch', dedupe: boolean): Promise<void> {
    const { points, params, tags, modelPoints } = batch;
    if (points.length > 0 && params.length === 0 && tags.length === 0 && modelPoints.length === 0) {
      // The hot path (training loops, autologging): one statement, no transaction round trips.
      this.active.check(runUuid, await this.runs.appendMetrics(this.runs.pool, parseRunId(runUuid), points, dedupe));
      return;
    }
    await withTransaction(this.runs.pool, async (db) => {
      const run = await this.active.require(db, runUuid);
      const conflicts = await this.runs.insertParams(db, run.runId, params);
      if (conflicts.length > 0) {
        const [first] = conflicts;
        throw form === 'single'
          ? changedParamError(runUuid, first!.key, first!.existing, first!.value)
          : changedParamsError(runUuid, conflicts);
      }
      if (points.length > 0) this.active.check(runUuid, await this.runs.appendMetrics(db, parseRunId(runUuid), points, dedupe));
      await this.modelMetrics.record(db, runUuid, modelPoints);
      await this.runs.upsertTags(db, run.runId, tags);
      const runName = tags.find((t) => t.key === RUN_NAME_TAG)?.value;
      if (runName) await this.runs.update(db, run.runId, { name: runName.slice(0, 250) });
    });
  }

  /** The 2.x log-model call: appends the model's description to the run's history tag. */
  async logModel(req: LogModelRequest): Promise<void> {
    const entry = modelTagsDict(parseModelJson(req.model_json));
    await withTransaction(this.runs.pool, async (db) => {
      const run = await this.active.require(db, req.run_id);
      const previous = await this.runs.tagValue(db, run.runId, MODEL_HISTORY_TAG);
      const history = previous ? (JSON.parse(previous) as PyValue[]) : [];
      history.push(entry);
      await this.runs.upsertTags(db, run.runId, [{ key: MODEL_HISTORY_TAG, value: pyJsonDumps(history) }]);
    });
  }
}

function parseModelJson(modelJson: string): Record<string, unknown> {
  let model: unknown;
  try {
    model = JSON.parse(modelJson);
  } catch {
    throw invalidParameter(`Malformed model info. \n {model_json} \n is not a valid JSON.`.replace('{model_json}', modelJson.slice(0, 200)));
  }
  if (model === null || typeof model !== 'object' || Array.isArray(model)) throw invalidParameter('Malformed model info: model_json must be a JSON object.');
  const missing = MODEL_JSON_FIELDS.filter((f) => !(f in model));
  if (missing.length > 0) {
    throw invalidParameter(`Model json is missing mandatory fields: [${missing.map((f) => `'${f}'`).join(', ')}]`);
  }
  return model as Record<string, unknown>;
}

interface ValidBatch {
  points: MetricPoint[];
  params: Param[];
  tags: RunTag[];
  modelPoints: ModelMetricPoint[];
}

/** The points logged for a logged model (MLflow 3): validated like the others, kept with their model. */
function modelMetricPoints(metrics: readonly LoggedMetric[]): ModelMetricPoint[] {
  const forModels = metrics.filter((m) => m.model_id);
  return forModels.map((m) => ({ ...validateMetric(m), model_id: m.model_id, dataset_name: m.dataset_name, dataset_digest: m.dataset_digest }));
}

function lastValuePerKey<T extends { key: string }>(items: readonly T[]): T[] {
  return [...new Map(items.map((item) => [item.key, item])).values()];
}
