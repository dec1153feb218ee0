import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type {
  CreateLoggedModelRequest,
  DeleteLoggedModelTagRequest,
  FinalizeLoggedModelRequest,
  GetLoggedModelRequest,
  LoggedModel,
  LogLoggedModelParamsRequest,
  SearchLoggedModelsRequest,
  SearchLoggedModelsResponse,
  SetLoggedModelTagsRequest,
} from '@cairn/contracts';
import { invalidParameter, notFound } from '@cairn/contracts';
import type { Queryable } from '@cairn/nest-common';
import { withTransaction } from '@cairn/nest-common';
import { parseExperimentId } from '../experiments/experiment.rules';
import { randomRunName } from '../runs/run-names';
import { LoggedModelSearch } from './logged-model-search';
import {
  changedModelParamError,
  MAX_MODEL_TYPE_LENGTH,
  MAX_SOURCE_RUN_ID_LENGTH,
  modelArtifactLocation,
  validateFinalStatus,
  validateModelName,
  validateModelParams,
  validateModelTags,
  validateOptionalText,
} from './logged-model.rules';
import { LoggedModelsRepository } from './logged-models.repository';

export const modelNotFound = (modelId: string) => notFound(`Logged model with ID '${modelId}' not found.`);

/** MLflow 3 logged models: created PENDING by `log_model`, finalized once their files are uploaded. */
@Injectable()
export class LoggedModelsService {
  constructor(
    private readonly models: LoggedModelsRepository,
    private readonly search: LoggedModelSearch,
  ) {}

  async create(req: CreateLoggedModelRequest): Promise<LoggedModel> {
    const name = validateModelName(req.name) ?? randomRunName();
    const modelType = validateOptionalText('model_type', MAX_MODEL_TYPE_LENGTH, req.model_type);
    const sourceRunId = validateOptionalText('source_run_id', MAX_SOURCE_RUN_ID_LENGTH, req.source_run_id);
    const tags = validateModelTags(req.tags);
    const params = validateModelParams(req.params);
    const experimentId = parseExperimentId(req.experiment_id);
    const modelId = `m-${randomUUID().replace(/-/g, '')}`;
    return withTransaction(this.models.pool, async (db) => {
      const experiment = await this.models.lockExperiment(db, experimentId);
      if (!experiment) throw notFound(`No Experiment with id=${req.experiment_id} exists`);
      if (experiment.stage !== 'active') {
        throw invalidParameter(
          `The experiment ${experimentId} must be in the 'active' state. Current state is ${experiment.stage}.`,
        );
      }
      const artifactLocation = modelArtifactLocation(experiment.artifactLocation, modelId);
      await this.models.insert(db, { modelId, experimentId, name, artifactLocation, modelType, sourceRunId, now: Date.now() });
      await this.models.upsertTags(db, modelId, tags);
      await this.models.insertParams(db, modelId, params);
      return this.read(db, modelId);
    });
  }

  async get(req: GetLoggedModelRequest): Promise<LoggedModel> {
    const model = await this.models.findById(req.model_id, { allowDeleted: req.allow_deleted });
    if (!model) throw modelNotFound(req.model_id);
    return model;
  }

  finalize(req: FinalizeLoggedModelRequest): Promise<LoggedModel> {
    const status = validateFinalStatus(req.status);
    return this.onModel(req.model_id, async (db, id) => {
      await this.models.setStatus(db, id, status, Date.now());
      return this.read(db, id);
    });
  }

  /** Soft delete: the model leaves get and search, its links from runs stay. */
  delete(modelId: string): Promise<void> {
    return this.onModel(modelId, (db, id) => this.models.markDeleted(db, id, Date.now()));
  }

  setTags(req: SetLoggedModelTagsRequest): Promise<LoggedModel> {
    const tags = validateModelTags(req.tags);
    return this.onModel(req.model_id, async (db, id) => {
      await this.models.upsertTags(db, id, tags);
      return this.read(db, id);
    });
  }

  deleteTag(req: DeleteLoggedModelTagRequest): Promise<void> {
    return this.onModel(req.model_id, async (db, id) => {
      if (!(await this.models.deleteTag(db, id, req.tag_key))) {
        throw notFound(`No tag with key '${req.tag_key}' found for model with ID '${id}'.`);
      }
    });
  }

  logParams(req: LogLoggedModelParamsRequest): Promise<void> {
    const params = validateModelParams(req.params);
    return this.onModel(req.model_id, async (db, id) => {
      const [conflict] = await this.models.insertParams(db, id, params);
      if (conflict) throw changedModelParamError(id, conflict.key, conflict.existing, conflict.value);
    });
  }

  searchModels(req: SearchLoggedModelsRequest): Promise<SearchLoggedModelsResponse> {
    return this.search.run(req);
  }

  /** Locks the model (deleted ones too, as MLflow finds them) and runs `fn` in one transaction. */
  private onModel<T>(modelId: string, fn: (db: Queryable, id: string) => Promise<T>): Promise<T> {
    return withTransaction(this.models.pool, async (db) => {
      if (!(await this.models.lock(db, modelId))) throw modelNotFound(modelId);
      return fn(db, modelId);
    });
  }

  private async read(db: Queryable, modelId: string): Promise<LoggedModel> {
    const model = await this.models.findById(modelId, { allowDeleted: true }, db);
    if (!model) throw modelNotFound(modelId);
    return model;
  }
}
