import { Injectable } from '@nestjs/common';
import type {
  DeleteRegisteredModelAliasRequest,
  GetModelVersionByAliasRequest,
  ModelVersion,
  SetRegisteredModelAliasRequest,
} from '@cairn/contracts';
import { invalidParameter, notFound } from '@cairn/contracts';
import { ChangeLog } from '../changes/change-log';
import { assertAliasNotReserved, LATEST_ALIAS, parseVersion, validateAlias, validateModelName } from '../common/names';
import { MODEL_STAGES } from '../common/stages';
import { RegisteredModelsRepository } from '../registered-models/registered-models.repository';
import { modelNotFound, ModelTransactions } from '../store/model-transactions';
import { AliasesRepository } from './aliases.repository';

/** Aliases (MLflow 2.3+): named, movable pointers to one version of a model. */
@Injectable()
export class AliasesService {
  constructor(
    private readonly aliases: AliasesRepository,
    private readonly models: RegisteredModelsRepository,
    private readonly transactions: ModelTransactions,
    private readonly changes: ChangeLog,
  ) {}

  /** Creates the alias or moves it; the audit trail keeps where it pointed before. */
  set(req: SetRegisteredModelAliasRequest): Promise<void> {
    validateModelName(req.name);
    const alias = validateAlias(req.alias);
    assertAliasNotReserved(alias);
    parseVersion(req.version);
    return this.transactions.runOnVersion(req.name, req.version, req.actor, async (db, model, mv, ctx) => {
      const previous = await this.aliases.set(db, model.modelId, alias, mv.version);
      const version = String(mv.version);
      const previousVersion = previous === undefined ? undefined : String(previous);
      if (previousVersion === version) return;
      await this.changes.record(
        db,
        ctx,
        [{ type: 'model-version.alias-set', payload: { name: model.name, alias, version, previous_version: previousVersion } }],
        [{ action: 'alias_set', version: mv.version, alias, from: previousVersion, to: version }],
      );
    });
  }

  /** Deleting an alias that is not there is not an error, but the model must exist. */
  delete(req: DeleteRegisteredModelAliasRequest): Promise<void> {
    validateModelName(req.name);
    const alias = validateAlias(req.alias);
    return this.transactions.run(req.name, req.actor, async (db, model, ctx) => {
      const removed = await this.aliases.delete(db, model.modelId, alias);
      if (removed === undefined) return;
      const version = String(removed);
      await this.changes.record(
        db,
        ctx,
        [{ type: 'model-version.alias-deleted', payload: { name: model.name, alias, version } }],
        [{ action: 'alias_deleted', version: removed, alias, from: version }],
      );
    });
  }

  /** `latest` (any case) is the newest version in any stage; an unknown alias is a 400 in MLflow. */
  async versionOf(req: GetModelVersionByAliasRequest): Promise<ModelVersion> {
    const name = validateModelName(req.name);
    const alias = validateAlias(req.alias);
    if (alias.toLowerCase() === LATEST_ALIAS) {
      const modelId = await this.models.idOf(name);
      if (!modelId) throw modelNotFound(name);
      const latest = await this.models.latestVersions(modelId, MODEL_STAGES);
      if (latest.length === 0) throw notFound(`Latest version not found for model ${name}.`);
      return latest.reduce((a, b) => (Number(b.version) > Number(a.version) ? b : a));
    }
    const mv = await this.aliases.resolve(name, alias);
    if (mv === undefined) throw modelNotFound(name);
    if (!mv) throw invalidParameter(`Registered model alias ${alias} not found.`);
    return mv;
  }
}
