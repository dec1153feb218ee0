import { Injectable } from '@nestjs/common';
import type { CreateModelVersionRequest, ModelVersion, ModelVersionLineage } from '@cairn/contracts';
import { invalidParameter, notFound } from '@cairn/contracts';
import { parseVersion } from '../common/names';
import { isPromptTags } from '../common/prompts';
import { canonicalStage, MODEL_STAGES } from '../common/stages';
import { AliasesRepository } from '../aliases/aliases.repository';
import { RegisteredModelsRepository } from '../registered-models/registered-models.repository';
import { modelNotFound, versionNotFound } from '../store/model-transactions';
import { ModelVersionsRepository } from './model-versions.repository';
import { checkSourceOfModel, checkSourceOfRun } from './source-policy';
import type { ParsedModelUri } from './source-uri';
import { invalidSource, parseModelUri, splitUri } from './source-uri';

/** Where a new version's artifacts are and where they came from. */
export interface VersionOrigin {
  source: string;
  storageLocation: string;
  runId: string;
  modelId?: string;
}

/**
 * Resolves and checks a new version's source as MLflow 3's create handler and store do:
 * `models:/<name>/<version|stage|latest>` and `models:/<name>@<alias>` name another version here
 * (its lineage and artifacts are reused); `models:/<model_id>` names a logged model, whose
 * artifact location the gateway looked up; anything else is stored where it points.
 */
@Injectable()
export class VersionOrigins {
  constructor(
    private readonly models: RegisteredModelsRepository,
    private readonly versions: ModelVersionsRepository,
    private readonly aliases: AliasesRepository,
  ) {}

  async resolve(req: CreateModelVersionRequest): Promise<VersionOrigin> {
    const lineage: ModelVersionLineage = req.lineage ?? {};
    let source = req.source;
    let runId = req.run_id;
    let modelId = req.model_id;
    let storageLocation: string | undefined;
    const { scheme, netloc } = splitUri(source);
    const parsed = scheme === 'models' ? parseModelUri(source) : undefined;
    if (scheme === 'models' && netloc) {
      throw invalidParameter(`Invalid model version source: '${source}'. Registered model sources must use the active model registry.`);
    }
    if (scheme === 'models' && !parsed) throw invalidSource(source, 'model_id');
    if (parsed && !('modelId' in parsed)) {
      const from = await this.referencedVersion(source, parsed);
      if ((runId !== undefined && runId !== (from.run_id ?? '')) || (modelId !== undefined && modelId !== (from.model_id ?? ''))) {
        throw invalidParameter(
          `Invalid model version source: '${source}'. The run_id and model_id request parameters must match the referenced model version.`,
        );
      }
      source = `models:/${from.name}/${from.version}`;
      runId ??= from.run_id;
      modelId ??= from.model_id;
      storageLocation = (await this.versions.downloadUri(from.name, Number(from.version)))!;
    }
    if (modelId) checkSourceOfModel(source, modelId, lineage);
    else checkSourceOfRun(source, runId, lineage);

    if (parsed && 'modelId' in parsed) {
      const model = this.loggedModel(lineage, parsed.modelId, source);
      storageLocation = model.artifact_uri;
      runId ||= model.source_run_id;
    }
    // The run of a logged model named by the request (the gateway looked it up; not when inherited).
    if (!runId && modelId && lineage.logged_model !== undefined) runId = this.loggedModel(lineage, modelId, source).source_run_id;
    return { source, storageLocation: storageLocation ?? source, runId: runId ?? '', modelId: modelId || undefined };
  }

  private loggedModel(lineage: ModelVersionLineage, modelId: string, source: string) {
    const model = lineage.logged_model;
    if (!model || model.model_id !== modelId) {
      throw notFound(`Unable to fetch model from model URI source artifact location '${source}'. Logged model '${modelId}' not found.`);
    }
    return model;
  }

  /** The version a `models:/<name>/…` source names, and its model's id. */
  private async referencedVersion(source: string, ref: Exclude<ParsedModelUri, { modelId: string }>) {
    const model = await this.models.findByName(ref.name);
    const modelId = await this.models.idOf(ref.name);
    if (!model || !modelId) throw modelNotFound(ref.name);
    if (isPromptTags(model.tags)) {
      throw invalidParameter(`Invalid model version source: '${source}'. Prompt versions cannot be used as model version sources.`);
    }
    const version = await this.versionNumber(modelId, ref);
    const mv: ModelVersion | undefined = await this.versions.find(modelId, version);
    if (!mv) throw versionNotFound(ref.name, version);
    return { ...mv, modelId };
  }

  private async versionNumber(modelId: string, ref: Exclude<ParsedModelUri, { modelId: string }>): Promise<number> {
    if ('version' in ref) return parseVersion(ref.version);
    if ('alias' in ref) {
      const version = await this.aliases.versionOf(modelId, ref.alias);
      if (version === undefined) throw invalidParameter(`Registered model alias ${ref.alias} not found.`);
      return version;
    }
    const stages = 'stage' in ref ? [canonicalStage(ref.stage)] : MODEL_STAGES;
    const latest = await this.models.latestVersions(modelId, stages);
    if (latest.length === 0) {
      const stage = 'stage' in ref ? ` and stage '${ref.stage}'` : '';
      throw notFound(`No versions of model with name '${ref.name}'${stage} found`);
    }
    return Math.max(...latest.map((v) => Number(v.version)));
  }
}
