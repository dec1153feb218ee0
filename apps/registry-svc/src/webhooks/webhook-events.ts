import type { RegistryEvent, WebhookAction, WebhookEntity, WebhookEvent } from '@cairn/contracts';

type Mapping = [model: WebhookEntity, prompt: WebhookEntity, action: WebhookAction] | undefined;

/**
 * Which MLflow webhook event a registry event fires, for models and for prompts. MLflow fires only
 * CREATED/SET/DELETED ones; UPDATED (description changes, renames, stage transitions) and model
 * DELETED are Cairn's, under the same entities.
 */
const MAPPING: Record<RegistryEvent['type'], Mapping> = {
  'registered-model.created': ['REGISTERED_MODEL', 'PROMPT', 'CREATED'],
  'registered-model.updated': ['REGISTERED_MODEL', 'PROMPT', 'UPDATED'],
  'registered-model.renamed': ['REGISTERED_MODEL', 'PROMPT', 'UPDATED'],
  'registered-model.deleted': ['REGISTERED_MODEL', 'PROMPT', 'DELETED'],
  'registered-model.tag-set': undefined, // MLflow has no REGISTERED_MODEL_TAG; prompts below
  'registered-model.tag-deleted': undefined,
  'model-version.created': ['MODEL_VERSION', 'PROMPT_VERSION', 'CREATED'],
  'model-version.updated': ['MODEL_VERSION', 'PROMPT_VERSION', 'UPDATED'],
  'model-version.stage-transitioned': ['MODEL_VERSION', 'PROMPT_VERSION', 'UPDATED'],
  'model-version.deleted': ['MODEL_VERSION', 'PROMPT_VERSION', 'DELETED'],
  'model-version.tag-set': ['MODEL_VERSION_TAG', 'PROMPT_VERSION_TAG', 'SET'],
  'model-version.tag-deleted': ['MODEL_VERSION_TAG', 'PROMPT_VERSION_TAG', 'DELETED'],
  'model-version.alias-set': ['MODEL_VERSION_ALIAS', 'PROMPT_ALIAS', 'CREATED'],
  'model-version.alias-deleted': ['MODEL_VERSION_ALIAS', 'PROMPT_ALIAS', 'DELETED'],
};

export function webhookEventOf(event: RegistryEvent): WebhookEvent | undefined {
  if (event.is_prompt && event.type === 'registered-model.tag-set') return { entity: 'PROMPT_TAG', action: 'SET' };
  if (event.is_prompt && event.type === 'registered-model.tag-deleted') return { entity: 'PROMPT_TAG', action: 'DELETED' };
  const m = MAPPING[event.type];
  return m && { entity: event.is_prompt ? m[1] : m[0], action: m[2] };
}

/** An example `data` for `POST /webhooks/{id}/test`, as MLflow's get_example_payload_for_event. */
export function examplePayload(event: WebhookEvent): Record<string, unknown> {
  const base = { name: 'example_model', version: '1' };
  switch (event.entity) {
    case 'REGISTERED_MODEL':
    case 'PROMPT':
      return { name: base.name, tags: { example_key: 'example_value' }, description: 'An example' };
    case 'MODEL_VERSION_TAG':
    case 'PROMPT_VERSION_TAG':
      return { ...base, key: 'example_key', value: 'example_value' };
    case 'PROMPT_TAG':
      return { name: base.name, key: 'example_key', value: 'example_value' };
    case 'MODEL_VERSION_ALIAS':
    case 'PROMPT_ALIAS':
      return { ...base, alias: 'example_alias' };
    default:
      return { ...base, source: 'models:/123', run_id: '1234567890abcdef', tags: { example_key: 'example_value' }, description: 'An example' };
  }
}
