import type { Tag } from '../tracking/experiment';
import type { ModelVersion, RegisteredModel, RegistryCommand, SearchContinuation } from './registry';

export interface CreateRegisteredModelRequest extends RegistryCommand {
  name: string;
  tags?: Tag[];
  description?: string;
}
export interface RegisteredModelNameRequest {
  name: string;
}
export type DeleteRegisteredModelRequest = RegisteredModelNameRequest & RegistryCommand;
export interface RegisteredModelResponse {
  registered_model: RegisteredModel;
}

export interface RenameRegisteredModelRequest extends RegistryCommand {
  name: string;
  new_name: string;
}
export interface UpdateRegisteredModelRequest extends RegistryCommand {
  name: string;
  description?: string;
}

export interface SearchRegisteredModelsRequest {
  filter?: string;
  max_results?: number;
  order_by?: string[];
  page_token?: string;
}
export interface SearchRegisteredModelsResponse {
  registered_models: RegisteredModel[];
  next_page_token?: string;
  continuation?: SearchContinuation;
}

export interface GetLatestVersionsRequest {
  name: string;
  stages?: string[];
}
export interface ModelVersionsResponse {
  model_versions: ModelVersion[];
}

export interface SetRegisteredModelTagRequest extends RegistryCommand {
  name: string;
  key: string;
  value?: string;
}
export interface DeleteRegisteredModelTagRequest extends RegistryCommand {
  name: string;
  key: string;
}

export interface SetRegisteredModelAliasRequest extends RegistryCommand {
  name: string;
  alias: string;
  version: string;
}
export interface DeleteRegisteredModelAliasRequest extends RegistryCommand {
  name: string;
  alias: string;
}
export interface GetModelVersionByAliasRequest {
  name: string;
  alias: string;
}
