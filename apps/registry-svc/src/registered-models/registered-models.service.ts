import { Injectable } from '@nestjs/common';
import type {
  CreateRegisteredModelRequest,
  DeleteRegisteredModelRequest,
  DeleteRegisteredModelTagRequest,
  GetLatestVersionsRequest,
  ModelVersion,
  RegisteredModel,
  RenameRegisteredModelRequest,
  SetRegisteredModelTagRequest,
  UpdateRegisteredModelRequest,
} from '@cairn/contracts';
import { alreadyExists, MODEL_VERSION_STAGES } from '@cairn/contracts';
import { isUniqueViolation, withTransaction } from '@cairn/nest-common';
import { ChangeLog } from '../changes/change-log';
import { missingValue, validateModelName, validateRegistryTag, validateTagKey } from '../common/names';
import { isPromptTags } from '../common/prompts';
import { canonicalStage } from '../common/stages';
import { tagRecord, validateTags } from '../common/tags';
import { actorOf, modelNotFound, ModelTransactions } from '../store/model-transactions';
import { RegisteredModelsRepository, UNIQUE_MODEL_NAME } from './registered-models.repository';

@Injectable()
export class RegisteredModelsService {
  constructor(
    private readonly models: RegisteredModelsRepository,
    private readonly transactions: ModelTransactions,
    private readonly changes: ChangeLog,
  ) {}

  async create(req: CreateRegisteredModelRequest): Promise<RegisteredModel> {
    const name = validateModelName(req.name);
    const tags = validateTags(req.tags);
    const description = req.description || undefined;
    const isPrompt = isPromptTags(tags);
    try {
      return await withTransaction(this.models.pool, async (db) => {
        const now = Date.now();
        const modelId = await this.models.insert(db, { name, description, tags, now });
        const ctx = { modelId, name, isPrompt, actor: actorOf(req.actor), now };
        await this.changes.record(
          db,
          ctx,
          [{ type: 'registered-model.created', payload: { name, tags: tagRecord(tags), description } }],
          [{ action: 'model_created', to: name }],
        );
        return (await this.models.findByName(name, db))!;
      });
    } catch (err) {
      if (isUniqueViolation(err, UNIQUE_MODEL_NAME)) throw await this.nameTaken(name, isPrompt);
      throw err;
    }
  }

  async get(name: string): Promise<RegisteredModel> {
    const modelName = validateModelName(name);
    const model = await this.models.findByName(modelName);
    if (!model) throw modelNotFound(modelName);
    return model;
  }

  /** The versions keep their numbers, tags and aliases; only the model row changes. */
  async rename(req: RenameRegisteredModelRequest): Promise<RegisteredModel> {
    if (req.new_name === undefined || req.new_name.trim() === '') throw missingValue('new_name');
    const newName = validateModelName(req.new_name);
    try {
      return await this.transactions.run(req.name, req.actor, async (db, model, ctx) => {
        await this.models.rename(db, model.modelId, newName, ctx.now);
        await this.changes.record(
          db,
          { ...ctx, name: newName },
          [{ type: 'registered-model.renamed', payload: { name: newName, previous_name: model.name } }],
          [{ action: 'renamed', from: model.name, to: newName }],
        );
        return (await this.models.findByName(newName, db))!;
      });
    } catch (err) {
      if (isUniqueViolation(err, UNIQUE_MODEL_NAME)) throw alreadyExists(`Registered Model (name=${newName}) already exists.`);
      throw err;
    }
  }

  /** MLflow sets the description to what was sent, so an update without one clears it. */
  update(req: UpdateRegisteredModelRequest): Promise<RegisteredModel> {
    const description = req.description || null;
    return this.transactions.run(req.name, req.actor, async (db, model, ctx) => {
      await this.models.setDescription(db, model.modelId, description, ctx.now);
      const changed = (model.description || null) !== description;
      await this.changes.record(
        db,
        ctx,
        [{ type: 'registered-model.updated', payload: { name: model.name, description: description ?? undefined } }],
        changed ? [{ action: 'description_changed', from: model.description || null, to: description }] : [],
      );
      return (await this.models.findByName(model.name, db))!;
    });
  }

  delete(req: DeleteRegisteredModelRequest): Promise<void> {
    return this.transactions.run(req.name, req.actor, async (db, model, ctx) => {
      await this.models.delete(db, model.modelId);
      await this.changes.record(db, ctx, [{ type: 'registered-model.deleted', payload: { name: model.name } }], [
        { action: 'model_deleted', from: model.name },
      ]);
    });
  }

  setTag(req: SetRegisteredModelTagRequest): Promise<void> {
    validateModelName(req.name);
    validateRegistryTag(req.key, req.value);
    const tag = { key: req.key, value: req.value ?? '' };
    return this.transactions.run(req.name, req.actor, async (db, model, ctx) => {
      await this.models.setTag(db, model.modelId, tag);
      await this.changes.record(db, ctx, [{ type: 'registered-model.tag-set', payload: { name: model.name, ...tag } }]);
    });
  }

  /** Deleting a tag that is not there is not an error, but the model must exist. */
  deleteTag(req: DeleteRegisteredModelTagRequest): Promise<void> {
    validateModelName(req.name);
    const key = validateTagKey(req.key);
    return this.transactions.run(req.name, req.actor, async (db, model, ctx) => {
      if (await this.models.deleteTag(db, model.modelId, key)) {
        await this.changes.record(db, ctx, [{ type: 'registered-model.tag-deleted', payload: { name: model.name, key } }]);
      }
    });
  }

  /** The newest version in each requested stage (all four when none are named). */
  async latestVersions(req: GetLatestVersionsRequest): Promise<ModelVersion[]> {
    const name = validateModelName(req.name);
    const modelId = await this.models.idOf(name);
    if (!modelId) throw modelNotFound(name);
    const stages = req.stages?.length ? [...new Set(req.stages.map(canonicalStage))] : [...MODEL_VERSION_STAGES];
    return this.models.latestVersions(modelId, stages);
  }

  /** MLflow's message for a taken name says whether a model or a prompt holds it. */
  private async nameTaken(name: string, isNewPrompt: boolean) {
    const existing = await this.models.findByName(name);
    const oldEntity = existing && isPromptTags(existing.tags) ? 'Prompt' : 'Registered Model';
    const newEntity = isNewPrompt ? 'Prompt' : 'Registered Model';
    if (oldEntity !== newEntity) {
      return alreadyExists(
        `Tried to create a ${newEntity.toLowerCase()} with name '${name}', but the name is already taken by a ` +
          `${oldEntity.toLowerCase()}. MLflow does not allow creating a model and a prompt with the same name.`,
      );
    }
    return alreadyExists(`${newEntity} (name=${name}) already exists.`);
  }
}
