/** MLflow 3.3 webhooks (webhooks.proto), served by registry-svc. */
export const WEBHOOK_ENTITIES = [
  'REGISTERED_MODEL',
  'MODEL_VERSION',
  'MODEL_VERSION_TAG',
  'MODEL_VERSION_ALIAS',
  'PROMPT',
  'PROMPT_VERSION',
  'PROMPT_TAG',
  'PROMPT_VERSION_TAG',
  'PROMPT_ALIAS',
] as const;
export type WebhookEntity = (typeof WEBHOOK_ENTITIES)[number];
export const WEBHOOK_ACTIONS = ['CREATED', 'UPDATED', 'DELETED', 'SET'] as const;
export type WebhookAction = (typeof WEBHOOK_ACTIONS)[number];
export const WEBHOOK_STATUSES = ['ACTIVE', 'DISABLED'] as const;
export type WebhookStatus = (typeof WEBHOOK_STATUSES)[number];

export interface WebhookEvent {
  entity: WebhookEntity;
  action: WebhookAction;
}

/** As returned on the wire: the secret is never part of it. */
export interface Webhook {
  webhook_id: string;
  name: string;
  description?: string;
  url: string;
  events: WebhookEvent[];
  status: WebhookStatus;
  creation_timestamp: number;
  last_updated_timestamp: number;
}

export interface CreateWebhookRequest {
  name: string;
  description?: string;
  url: string;
  events: { entity: string; action: string }[];
  secret?: string;
  status?: string;
  actor?: string;
}
export interface UpdateWebhookRequest {
  webhook_id: string;
  name?: string;
  description?: string;
  url?: string;
  events?: { entity: string; action: string }[];
  secret?: string;
  status?: string;
  actor?: string;
}
export interface WebhookIdRequest {
  webhook_id: string;
  actor?: string;
}
export interface ListWebhooksRequest {
  max_results?: number;
  page_token?: string;
}
export interface TestWebhookRequest {
  webhook_id: string;
  event?: { entity: string; action: string };
}
export interface WebhookResponse {
  webhook: Webhook;
}
export interface ListWebhooksResponse {
  webhooks: Webhook[];
  next_page_token?: string;
}
export interface WebhookTestResult {
  success: boolean;
  response_status?: number;
  response_body?: string;
  error_message?: string;
}
export interface TestWebhookResponse {
  result: WebhookTestResult;
}

/** Cairn's delivery log (beyond MLflow): one delivery per event and webhook, with every attempt. */
export const WEBHOOK_DELIVERY_STATUSES = ['PENDING', 'SUCCEEDED', 'FAILED'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];
export interface WebhookDeliveryAttempt {
  attempt: number;
  /** Milliseconds since the epoch, when the request was sent. */
  at: number;
  duration_ms: number;
  response_status?: number;
  error?: string;
}
export interface WebhookDelivery {
  delivery_id: string;
  event_id: string;
  entity: WebhookEntity;
  action: WebhookAction;
  status: WebhookDeliveryStatus;
  attempts: WebhookDeliveryAttempt[];
  created_at: number;
  /** When the next attempt is due (PENDING only). */
  next_attempt_at?: number;
}
export interface ListWebhookDeliveriesRequest {
  webhook_id: string;
  max_results?: number;
  page_token?: string;
}
export interface ListWebhookDeliveriesResponse {
  deliveries: WebhookDelivery[];
  next_page_token?: string;
}

export const WebhookPatterns = {
  create: 'registry.webhooks.create.v1',
  list: 'registry.webhooks.list.v1',
  get: 'registry.webhooks.get.v1',
  update: 'registry.webhooks.update.v1',
  delete: 'registry.webhooks.delete.v1',
  test: 'registry.webhooks.test.v1',
  deliveries: 'registry.webhooks.deliveries.list.v1',
} as const;
