import type { LifecycleStage, Tag } from './experiment';

export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';
export const RUN_STATUSES: readonly RunStatus[] = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'];

/**
 * A metric value on the wire: a number, or MLflow's strings for the values JSON cannot carry
 * (protobuf writes NaN and ±Infinity as "NaN", "Infinity", "-Infinity").
 */
export type MetricValue = number | 'NaN' | 'Infinity' | '-Infinity';

export interface Metric {
  key: string;
  value: MetricValue;
  timestamp: number;
  step: number;
}
/** A metric as a client logs it: MLflow 3 may tie the point to a logged model and a dataset. */
export interface LoggedMetric extends Metric {
  model_id?: string;
  dataset_name?: string;
  dataset_digest?: string;
}

export interface MetricWithRunId extends Metric {
  run_id: string;
}
export type Param = Tag;
export type RunTag = Tag;

export interface RunInfo {
  run_id: string;
  run_uuid: string;
  run_name: string;
  experiment_id: string;
  user_id?: string;
  status: RunStatus;
  start_time: number;
  end_time?: number;
  artifact_uri: string;
  lifecycle_stage: LifecycleStage;
}

export interface RunData {
  metrics: Metric[];
  params: Param[];
  tags: RunTag[];
}

export interface Dataset {
  name: string;
  digest: string;
  source_type: string;
  source: string;
  schema?: string;
  profile?: string;
}
export interface DatasetInput {
  tags: Tag[];
  dataset: Dataset;
}
export interface ModelInput {
  model_id: string;
}
export interface ModelOutput {
  model_id: string;
  step: number;
}
export interface RunInputs {
  dataset_inputs: DatasetInput[];
  model_inputs: ModelInput[];
}
export interface RunOutputs {
  model_outputs: ModelOutput[];
}

export interface Run {
  info: RunInfo;
  data: RunData;
  inputs: RunInputs;
  outputs: RunOutputs;
}
