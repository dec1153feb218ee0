import { Injectable } from '@nestjs/common';
import type {
  CreateModelVersionRequest,
  DeleteModelVersionRequest,
  DeleteModelVersionTagRequest,
  ModelVersion,
  ModelVersionStage,
  SetModelVersionTagRequest,
  TransitionModelVersionStageRequest,
  UpdateModelVersionRequest,
} from '@cairn/contracts';
import { invalidParameter } from '@cairn/contracts';
import { AliasesRepository } from '../aliases/aliases.repository';
import type { AuditEntry, EventEntry } from '../changes/change-log';
import { ChangeLog } from '../changes/change-log';
import { parseVersion, validateModelName, validateRegistryTag, validateTagKey } from '../common/names';
import { isPromptTags } from '../common/prompts';
import { ACTIVE_STAGES, canonicalStage } from '../common/stages';
import { tagRecord, validateTags } from '../common/tags';
import { RegisteredModelsRepository } from '../registered-models/registered-models.repository';
import { ModelTransactions, versionNotFound } from '../store/model-transactions';
import { ModelVersionsRepository } from './model-versions.repository';
import { checkPromptSource, checkSourceScheme } from './source-policy';
import type { VersionOrigin } from './version-origin';
import { VersionOrigins } from './version-origin';

@Injectable()
export class ModelVersionsService {
  constructor(
    private readonly versions: ModelVersionsRepository,
    private readonly models: RegisteredModelsRepository,
    private readonly aliases: AliasesRepository,
    private readonly origins: VersionOrigins,
    private readonly transactions: ModelTransactions,
    private readonly changes: ChangeLog,
  ) {}

  /** The next number of the model (never reused), READY at once: Cairn copies no artifacts. */
  async create(req: CreateModelVersionRequest): Promise<ModelVersion> {
    validateModelName(req.name);
    const tags = validateTags(req.tags);
    const isPrompt = isPromptTags(tags);
    if (isPrompt) checkPromptSource(req.source);
    checkSourceScheme(req.source);
    const origin: VersionOrigin = isPrompt
      ? { source: req.source, storageLocation: req.source, runId: req.run_id ?? '', modelId: req.model_id || undefined }
      : await this.origins.resolve(req);
    return this.transactions.run(req.name, req.actor, async (db, model, ctx) => {
      const version = await this.models.allocateVersion(db, model.modelId, ctx.now);
      const { source, storageLocation, runId, modelId: loggedModelId } = origin;
      const description = req.description ?? '';
      const runLink = req.run_link ?? '';
      await this.versions.insert(db, { modelId: model.modelId, version, source, storageLocation, runId, runLink, description, loggedModelId, tags, now: ctx.now });
      const payload = { name: model.name, version: String(version), source, run_id: runId || undefined, tags: tagRecord(tags) };
      await this.changes.record(
        db,
        ctx,
        [{ type: 'model-version.created', payload: { ...payload, description: description || undefined } }],
        [{ action: 'version_created', version, to: 'None' }],
      );
      return (await this.versions.find(model.modelId, version, db))!;
    });
  }

  async get(name: string, version: string): Promise<ModelVersion> {
    const modelName = validateModelName(name);
    const number = parseVersion(version);
    const mv = await this.versions.findByName(modelName, number);
    if (!mv) throw versionNotFound(modelName, number);
    return mv;
  }

  /** `storage_location` when the source was resolved (models:/…), else the source itself. */
  async downloadUri(name: string, version: string): Promise<string> {
    const modelName = validateModelName(name);
    const number = parseVersion(version);
    const uri = await this.versions.downloadUri(modelName, number);
    if (!uri) throw versionNotFound(modelName, number);
    return uri;
  }

  /** A missing description clears it, as MLflow's handler passes None then. */
  update(req: UpdateModelVersionRequest): Promise<ModelVersion> {
    const description = req.description ?? null;
    return this.transactions.runOnVersion(req.name, req.version, req.actor, async (db, model, mv, ctx) => {
      await this.versions.setDescription(db, model.modelId, mv.version, description, ctx.now);
      const changed = (mv.description || null) !== (description || null);
      const version = String(mv.version);
      await this.changes.record(
        db,
        ctx,
        [{ type: 'model-version.updated', payload: { name: model.name, version, description: description ?? undefined } }],
        changed ? [{ action: 'description_changed', version: mv.version, from: mv.description || null, to: description || null }] : [],
      );
      return (await this.versions.find(model.modelId, mv.version, db))!;
    });
  }

  /** With archive_existing_versions, the other versions in the target stage move to Archived. */
  transitionStage(req: TransitionModelVersionStageRequest): Promise<ModelVersion> {
    const stage = canonicalStage(req.stage ?? '');
    if (req.archive_existing_versions && !ACTIVE_STAGES.includes(stage)) {
      throw invalidParameter(
        `Model version transition cannot archive existing model versions because '${req.stage}' is not an Active stage. ` +
          "Valid stages are ['Staging', 'Production']",
      );
    }
    return this.transactions.runOnVersion(req.name, req.version, req.actor, async (db, model, mv, ctx) => {
      const archived = req.archive_existing_versions ? await this.versions.archiveOthers(db, model.modelId, mv.version, stage, ctx.now) : [];
      await this.versions.setStage(db, model.modelId, mv.version, stage, ctx.now);
      await this.models.touch(db, model.modelId, ctx.now);
      const moves: { version: number; from: ModelVersionStage; to: ModelVersionStage }[] = archived.map((v) => ({
        version: v,
        from: stage,
        to: 'Archived',
      }));
      if (mv.stage !== stage) moves.push({ version: mv.version, from: mv.stage, to: stage });
      await this.changes.record(
        db,
        ctx,
        moves.map((m) => ({
          type: 'model-version.stage-transitioned',
          payload: { name: model.name, version: String(m.version), from_stage: m.from, to_stage: m.to },
        })),
        moves.map((m) => ({ action: 'stage_transition', version: m.version, from: m.from, to: m.to })),
      );
      return (await this.versions.find(model.modelId, mv.version, db))!;
    });
  }

  /** Soft delete: the number stays taken; aliases on the version go; the model is touched. */
  delete(req: DeleteModelVersionRequest): Promise<void> {
    return this.transactions.runOnVersion(req.name, req.version, req.actor, async (db, model, mv, ctx) => {
      const aliases = await this.aliases.deleteForVersion(db, model.modelId, mv.version);
      await this.versions.softDelete(db, model.modelId, mv.version, ctx.now);
      await this.models.touch(db, model.modelId, ctx.now);
      const version = String(mv.version);
      const events: EventEntry[] = aliases.map((alias) => ({ type: 'model-version.alias-deleted', payload: { name: model.name, alias, version } }));
      const audit: AuditEntry[] = aliases.map((alias) => ({ action: 'alias_deleted', version: mv.version, alias, from: version }));
      events.push({ type: 'model-version.deleted', payload: { name: model.name, version } });
      audit.push({ action: 'version_deleted', version: mv.version, from: mv.stage });
      await this.changes.record(db, ctx, events, audit);
    });
  }

  setTag(req: SetModelVersionTagRequest): Promise<void> {
    validateModelName(req.name);
    parseVersion(req.version);
    validateRegistryTag(req.key, req.value);
    const tag = { key: req.key, value: req.value ?? '' };
    return this.transactions.runOnVersion(req.name, req.version, req.actor, async (db, model, mv, ctx) => {
      await this.versions.setTag(db, model.modelId, mv.version, tag);
      const payload = { name: model.name, version: String(mv.version), ...tag };
      await this.changes.record(db, ctx, [{ type: 'model-version.tag-set', payload }]);
    });
  }

  deleteTag(req: DeleteModelVersionTagRequest): Promise<void> {
    validateModelName(req.name);
    parseVersion(req.version);
    const key = validateTagKey(req.key);
    return this.transactions.runOnVersion(req.name, req.version, req.actor, async (db, model, mv, ctx) => {
      if (await this.versions.deleteTag(db, model.modelId, mv.version, key)) {
        const payload = { name: model.name, version: String(mv.version), key };
        await this.changes.record(db, ctx, [{ type: 'model-version.tag-deleted', payload }]);
      }
    });
  }
}
