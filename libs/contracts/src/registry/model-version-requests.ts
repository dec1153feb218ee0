import type { Tag } from '../tracking/experiment';
import type { ModelVersion, RegistryCommand, SearchContinuation } from './registry';

/**
 * What the gateway learned from tracking-svc about the run and the logged model a new version
 * names, so registry-svc can check the source against them without calling tracking itself.
 * A key is absent when nothing was named; null when the named run or model does not exist.
 */
export interface ModelVersionLineage {
  run?: { run_id: string; artifact_uri: string } | null;
  logged_model?: { model_id: string; artifact_uri: string; source_run_id?: string } | null;
}

export interface CreateModelVersionRequest extends RegistryCommand {
  name: string;
  source: string;
  run_id?: string;
  tags?: Tag[];
  run_link?: string;
  description?: string;
  model_id?: string;
  lineage?: ModelVersionLineage;
}

export interface ModelVersionRequest {
  name: string;
  version: string;
}
export type DeleteModelVersionRequest = ModelVersionRequest & RegistryCommand;
export interface ModelVersionResponse {
  model_version: ModelVersion;
}

export interface UpdateModelVersionRequest extends ModelVersionRequest, RegistryCommand {
  description?: string;
}

export interface TransitionModelVersionStageRequest extends ModelVersionRequest, RegistryCommand {
  stage: string;
  archive_existing_versions?: boolean;
}

export interface SearchModelVersionsRequest {
  filter?: string;
  max_results?: number;
  order_by?: string[];
  page_token?: string;
}
export interface SearchModelVersionsResponse {
  model_versions: ModelVersion[];
  next_page_token?: string;
  continuation?: SearchContinuation;
}

export interface SetModelVersionTagRequest extends ModelVersionRequest, RegistryCommand {
  key: string;
  value?: string;
}
export interface DeleteModelVersionTagRequest extends ModelVersionRequest, RegistryCommand {
  key: string;
}

export interface ModelVersionDownloadUriResponse {
  artifact_uri: string;
}
