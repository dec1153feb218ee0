/** What the audit trail records (beyond MLflow): every governance-relevant change of a model. */
export const AUDIT_ACTIONS = [
  'model_created',
  'renamed',
  'description_changed',
  'model_deleted',
  'version_created',
  'stage_transition',
  'alias_set',
  'alias_deleted',
  'version_deleted',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * One entry of a registered model's history. `name` is the model's name when it happened;
 * `from`/`to` are the stage, alias target version, description or name before and after.
 */
export interface AuditEvent {
  id: string;
  name: string;
  version?: string;
  action: AuditAction;
  alias?: string;
  from?: string;
  to?: string;
  actor: string;
  request_id?: string;
  /** Milliseconds since the epoch. */
  at: number;
}

export interface ModelHistoryRequest {
  name: string;
  max_results?: number;
  page_token?: string;
}
export interface ModelHistoryResponse {
  events: AuditEvent[];
  next_page_token?: string;
}
