import type { ModelVersionStage } from '@cairn/contracts';
import { invalidParameter, MODEL_VERSION_STAGES } from '@cairn/contracts';

/** Soft-deleted versions keep their number in this stage and are never returned. */
export const DELETED_INTERNAL = 'Deleted_Internal';
/** The stages `archive_existing_versions` may be used with. */
export const ACTIVE_STAGES: readonly ModelVersionStage[] = ['Staging', 'Production'];

/** `get_canonical_stage`: any case in, MLflow's spelling out. */
export function canonicalStage(stage: string): ModelVersionStage {
  const found = MODEL_VERSION_STAGES.find((s) => s.toLowerCase() === stage.toLowerCase());
  if (!found) {
    throw invalidParameter(`Invalid Model Version stage: ${stage}. Value must be one of ${MODEL_VERSION_STAGES.join(', ')}.`);
  }
  return found;
}

export const MODEL_STAGES: readonly ModelVersionStage[] = MODEL_VERSION_STAGES;
