import type { ModelVersionStage } from './registry';

/**
 * Registry change events. Each committed change writes one or more of these to registry-svc's
 * outbox in the same transaction; a publisher puts them on JetStream as `registrySubject(type)`.
 * Payloads follow MLflow's webhook payloads where MLflow has one.
 */
export interface RegistryEventPayloads {
  'registered-model.created': { name: string; tags: Record<string, string>; description?: string };
  'registered-model.updated': { name: string; description?: string };
  'registered-model.renamed': { name: string; previous_name: string };
  'registered-model.deleted': { name: string };
  'registered-model.tag-set': { name: string; key: string; value: string };
  'registered-model.tag-deleted': { name: string; key: string };
  'model-version.created': {
    name: string;
    version: string;
    source: string;
    run_id?: string;
    tags: Record<string, string>;
    description?: string;
  };
  'model-version.updated': { name: string; version: string; description?: string };
  'model-version.stage-transitioned': { name: string; version: string; from_stage: ModelVersionStage; to_stage: ModelVersionStage };
  'model-version.deleted': { name: string; version: string };
  'model-version.tag-set': { name: string; version: string; key: string; value: string };
  'model-version.tag-deleted': { name: string; version: string; key: string };
  'model-version.alias-set': { name: string; alias: string; version: string; previous_version?: string };
  'model-version.alias-deleted': { name: string; alias: string; version: string };
}
export type RegistryEventType = keyof RegistryEventPayloads;

export interface RegistryEvent<T extends RegistryEventType = RegistryEventType> {
  /** The outbox row id: increasing in commit order per model, and the JetStream dedup id. */
  id: string;
  type: T;
  /** True for prompts (models tagged `mlflow.prompt.is_prompt=true`): MLflow's PROMPT_* webhooks. */
  is_prompt: boolean;
  actor: string;
  request_id?: string;
  /** Milliseconds since the epoch. */
  timestamp: number;
  payload: RegistryEventPayloads[T];
}

/** `registry.events.model-version.created.v1`; subscribe to `registry.events.>` for all. */
export const registryEventSubject = (type: RegistryEventType) => `registry.events.${type}.v1`;
