import type { Experiment, Tag, ViewType } from './experiment';

export interface CreateExperimentRequest {
  name: string;
  artifact_location?: string;
  tags?: Tag[];
}
export interface CreateExperimentResponse {
  experiment_id: string;
}

export interface GetExperimentRequest {
  experiment_id: string;
}
export interface GetExperimentByNameRequest {
  experiment_name: string;
}
export interface ExperimentResponse {
  experiment: Experiment;
}

export interface SearchExperimentsRequest {
  max_results?: number;
  page_token?: string;
  filter?: string;
  order_by?: string[];
  view_type?: ViewType;
}
export interface SearchExperimentsResponse {
  experiments: Experiment[];
  next_page_token?: string;
}

export interface UpdateExperimentRequest {
  experiment_id: string;
  new_name: string;
}
export interface ExperimentIdRequest {
  experiment_id: string;
}
export interface SetExperimentTagRequest {
  experiment_id: string;
  key: string;
  value: string;
}
export interface DeleteExperimentTagRequest {
  experiment_id: string;
  key: string;
}

/** Commands that return nothing answer with this. */
export type Empty = Record<string, never>;
