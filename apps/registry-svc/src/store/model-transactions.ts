import { Injectable } from '@nestjs/common';
import { notFound } from '@cairn/contracts';
import type { Queryable } from '@cairn/nest-common';
import { withTransaction } from '@cairn/nest-common';
import type { ChangeContext } from '../changes/change-log';
import { ANONYMOUS } from '../changes/change-log';
import { parseVersion, validateModelName } from '../common/names';
import type { LockedVersion } from '../model-versions/model-versions.repository';
import { ModelVersionsRepository } from '../model-versions/model-versions.repository';
import type { LockedModel } from '../registered-models/registered-models.repository';
import { RegisteredModelsRepository } from '../registered-models/registered-models.repository';

export const modelNotFound = (name: string) => notFound(`Registered Model with name=${name} not found`);
export const versionNotFound = (name: string, version: number | string) =>
  notFound(`Model Version (name=${name}, version=${version}) not found`);

/** The caller the gateway named, or 'anonymous'; at most the audit column's 256 characters. */
export const actorOf = (actor: string | undefined) => actor?.trim().slice(0, 256) || ANONYMOUS;

/**
 * Every change to an existing model runs here: one transaction holding the model's row lock, so
 * changes to one model (version numbers, stages, aliases) are serialized, and a change context
 * for the ChangeLog.
 */
@Injectable()
export class ModelTransactions {
  constructor(
    private readonly models: RegisteredModelsRepository,
    private readonly versions: ModelVersionsRepository,
  ) {}

  run<T>(
    name: string,
    actor: string | undefined,
    fn: (db: Queryable, model: LockedModel, ctx: ChangeContext) => Promise<T>,
    missing = modelNotFound,
  ): Promise<T> {
    const modelName = validateModelName(name);
    return withTransaction(this.models.pool, async (db) => {
      const model = await this.models.lock(db, modelName);
      if (!model) throw missing(modelName);
      const ctx = { modelId: model.modelId, name: model.name, isPrompt: model.isPrompt, actor: actorOf(actor), now: Date.now() };
      return fn(db, model, ctx);
    });
  }

  /** As `run`, with one live version locked too; a missing model or version is MLflow's version 404. */
  runOnVersion<T>(
    name: string,
    version: string,
    actor: string | undefined,
    fn: (db: Queryable, model: LockedModel, mv: LockedVersion, ctx: ChangeContext) => Promise<T>,
  ): Promise<T> {
    validateModelName(name);
    const number = parseVersion(version);
    const missing = () => versionNotFound(name, number);
    return this.run(
      name,
      actor,
      async (db, model, ctx) => {
        const mv = await this.versions.lock(db, model.modelId, number);
        if (!mv) throw missing();
        return fn(db, model, mv, ctx);
      },
      missing,
    );
  }
}
