import { Injectable } from '@nestjs/common';
import type { LogBatchRequest, LogMetricRequest, LogModelRequest, LogParamRequest } from '@cairn/contracts';
import { invalidParameter } from '@cairn/contracts';
import { withTransaction } from '@cairn/nest-common';
import { LoggedModelMetrics } from '../logged-models/logged-model-metrics';
import { ActiveRun } from './active-run';
import {
  changedParamError,
  changedParamsError,
  RUN_NAME_TAG,
  validateBatchLimits,
  validateMetric,
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
    const points = metrics.map(validateMetric);
    const validParams = params.map(validateParam);
    validateUniqueParamKeys(validParams);
    const validTags = lastValuePerKey(tags.map(validateTag));
    await withTransaction(this.runs.pool, async (db) => {
      const run = await this.active.require(db, req.run_id);
      const conflicts = await this.runs.insertParams(db, run.runId, validParams);
      if (conflicts.length > 0) {
        const [first] = conflicts;
        throw form === 'single'
          ? changedParamError(req.run_id, first!.key, first!.existing, first!.value)
          : changedParamsError(req.run_id, conflicts);
      }
      await this.runs.insertMetrics(db, run.runId, points);
      await this.modelMetrics.record(
        db,
        req.run_id,
        points.map((p, i) => ({ ...p, model_id: metrics[i]!.model_id, dataset_name: metrics[i]!.dataset_name, dataset_digest: metrics[i]!.dataset_digest })),
      );
      await this.runs.upsertTags(db, run.runId, validTags);
      const runName = validTags.find((t) => t.key === RUN_NAME_TAG)?.value;
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

function lastValuePerKey<T extends { key: string }>(items: readonly T[]): T[] {
  return [...new Map(items.map((item) => [item.key, item])).values()];
}
