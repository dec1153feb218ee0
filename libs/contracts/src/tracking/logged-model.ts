import type { Tag } from './experiment';
import type { Metric, Param } from './run';

/** Message patterns of MLflow 3 logged models, served by tracking-svc. */
export const LoggedModelPatterns = {
  create: 'tracking.logged-models.create.v1',
  get: 'tracking.logged-models.get.v1',
  finalize: 'tracking.logged-models.finalize.v1',
  delete: 'tracking.logged-models.delete.v1',
  search: 'tracking.logged-models.search.v1',
  setTags: 'tracking.logged-models.set-tags.v1',
  deleteTag: 'tracking.logged-models.delete-tag.v1',
  logParams: 'tracking.logged-models.log-params.v1',
} as const;

export type LoggedModelStatus = 'LOGGED_MODEL_PENDING' | 'LOGGED_MODEL_READY' | 'LOGGED_MODEL_UPLOAD_FAILED';
export const LOGGED_MODEL_STATUSES: readonly LoggedModelStatus[] = [
  'LOGGED_MODEL_PENDING',
  'LOGGED_MODEL_READY',
  'LOGGED_MODEL_UPLOAD_FAILED',
];

/** MLflow's `LoggedModelInfo`, in proto field order. */
export interface LoggedModelInfo {
  model_id: string;
  experiment_id: string;
  name: string;
  creation_timestamp_ms: number;
  last_updated_timestamp_ms: number;
  artifact_uri: string;
  status: LoggedModelStatus;
  model_type?: string;
  source_run_id?: string;
  tags: Tag[];
}

/** A metric point linked to a model (MLflow 3's `Metric` with its model, run and dataset). */
export interface LoggedModelMetric extends Metric {
  dataset_name?: string;
  dataset_digest?: string;
  model_id: string;
  run_id: string;
}

export interface LoggedModelData {
  params: Param[];
  metrics: LoggedModelMetric[];
}

export interface LoggedModel {
  info: LoggedModelInfo;
  data: LoggedModelData;
}

export interface CreateLoggedModelRequest {
  experiment_id: string;
  name?: string;
  model_type?: string;
  source_run_id?: string;
  params?: Param[];
  tags?: Tag[];
}
export interface LoggedModelResponse {
  model: LoggedModel;
}

export interface LoggedModelIdRequest {
  model_id: string;
}
export interface GetLoggedModelRequest extends LoggedModelIdRequest {
  allow_deleted?: boolean;
}
export interface FinalizeLoggedModelRequest extends LoggedModelIdRequest {
  status: LoggedModelStatus;
}
export interface SetLoggedModelTagsRequest extends LoggedModelIdRequest {
  tags?: Tag[];
}
export interface DeleteLoggedModelTagRequest extends LoggedModelIdRequest {
  tag_key: string;
}
export interface LogLoggedModelParamsRequest extends LoggedModelIdRequest {
  params?: Param[];
}

export interface LoggedModelDatasetFilter {
  dataset_name?: string;
  dataset_digest?: string;
}
export interface LoggedModelOrderBy {
  field_name?: string;
  ascending?: boolean;
  dataset_name?: string;
  dataset_digest?: string;
}
export interface SearchLoggedModelsRequest {
  experiment_ids: string[];
  filter?: string;
  datasets?: LoggedModelDatasetFilter[];
  max_results?: number;
  order_by?: LoggedModelOrderBy[];
  page_token?: string;
}
export interface SearchLoggedModelsResponse {
  models: LoggedModel[];
  next_page_token?: string;
}
