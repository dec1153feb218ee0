import { Injectable } from '@nestjs/common';
import type { AuditAction, RegistryEventPayloads, RegistryEventType } from '@cairn/contracts';
import type { Queryable } from '@cairn/nest-common';
import { currentRequestId } from '@cairn/nest-common';

/** Who changed which model; every change of one request shares it. */
export interface ChangeContext {
  modelId: string;
  /** The model's name after the change. */
  name: string;
  isPrompt: boolean;
  actor: string;
  now: number;
}

export interface AuditEntry {
  action: AuditAction;
  version?: number;
  alias?: string;
  from?: string | null;
  to?: string | null;
}

export interface EventEntry<T extends RegistryEventType = RegistryEventType> {
  type: T;
  payload: RegistryEventPayloads[T];
}

export const ANONYMOUS = 'anonymous';

/**
 * The one place a registry change is recorded: its audit entries and its outbox events, written
 * with the caller's transaction, so they exist exactly when the change committed.
 */
@Injectable()
export class ChangeLog {
  async record(db: Queryable, ctx: ChangeContext, events: readonly EventEntry[], audit: readonly AuditEntry[] = []): Promise<void> {
    const requestId = currentRequestId() ?? null;
    if (audit.length > 0) {
      await db.query(
        `INSERT INTO registry.audit_events (model_id, model_name, version, action, alias, from_value, to_value, actor, request_id, at)
         SELECT $1, $2, e.version, e.action, e.alias, e.from_value, e.to_value, $3, $4, $5
         FROM unnest($6::int[], $7::text[], $8::text[], $9::text[], $10::text[])
              WITH ORDINALITY AS e(version, action, alias, from_value, to_value, n)
         ORDER BY e.n`,
        [
          ctx.modelId,
          ctx.name,
          ctx.actor,
          requestId,
          ctx.now,
          audit.map((a) => a.version ?? null),
          audit.map((a) => a.action),
          audit.map((a) => a.alias ?? null),
          audit.map((a) => a.from ?? null),
          audit.map((a) => a.to ?? null),
        ],
      );
    }
    if (events.length > 0) {
      await db.query(
        `INSERT INTO registry.outbox (event_type, model_id, is_prompt, payload, actor, request_id, created_at)
         SELECT e.event_type, $1, $2, e.payload, $3, $4, $5
         FROM unnest($6::text[], $7::jsonb[]) WITH ORDINALITY AS e(event_type, payload, n)
         ORDER BY e.n`,
        [ctx.modelId, ctx.isPrompt, ctx.actor, requestId, ctx.now, events.map((e) => e.type), events.map((e) => JSON.stringify(e.payload))],
      );
    }
  }
}
