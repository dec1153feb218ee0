import type { Tag } from '../tracking/experiment';

/** The stages a client may name (any case on input; these spellings on output). */
export const MODEL_VERSION_STAGES = ['None', 'Staging', 'Production', 'Archived'] as const;
export type ModelVersionStage = (typeof MODEL_VERSION_STAGES)[number];

export type ModelVersionStatus = 'PENDING_REGISTRATION' | 'FAILED_REGISTRATION' | 'READY';

/** MLflow's `ModelVersion`; `version` is a string on the wire, an integer in the store. */
export interface ModelVersion {
  name: string;
  version: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  user_id?: string;
  current_stage: ModelVersionStage;
  description?: string;
  source: string;
  run_id?: string;
  status: ModelVersionStatus;
  status_message?: string;
  tags: Tag[];
  run_link?: string;
  aliases: string[];
  model_id?: string;
}

export interface RegisteredModelAlias {
  alias: string;
  version: string;
}

/** MLflow's `RegisteredModel`, with the newest version of each stage in `latest_versions`. */
export interface RegisteredModel {
  name: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  description?: string;
  latest_versions: ModelVersion[];
  tags: Tag[];
  aliases: RegisteredModelAlias[];
}

/**
 * Every command carries who asked for it: the gateway fills it from the caller's credentials
 * (never from the message body), and the service writes it into the audit trail.
 */
export interface RegistryCommand {
  actor?: string;
}

/**
 * A search page that did not fit in one message: the caller asks again with this token and
 * max_results and appends the rows, until a response comes without it. Service-to-gateway only;
 * never on MLflow's wire.
 */
export interface SearchContinuation {
  page_token: string;
  max_results: number;
}
