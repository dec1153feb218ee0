import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { AuditAction, AuditEvent } from '@cairn/contracts';
import { PG_POOL } from '@cairn/nest-common';

interface AuditRow {
  id: string;
  model_name: string;
  version: number | null;
  action: AuditAction;
  alias: string | null;
  from_value: string | null;
  to_value: string | null;
  actor: string;
  request_id: string | null;
  at: string;
}

function toAuditEvent(row: AuditRow): AuditEvent {
  return {
    id: row.id,
    name: row.model_name,
    ...(row.version !== null && { version: String(row.version) }),
    action: row.action,
    ...(row.alias !== null && { alias: row.alias }),
    ...(row.from_value !== null && { from: row.from_value }),
    ...(row.to_value !== null && { to: row.to_value }),
    actor: row.actor,
    ...(row.request_id !== null && { request_id: row.request_id }),
    at: Number(row.at),
  };
}

/** Which history: a live model's (all its names), or what is left of a deleted one by name. */
export type HistorySubject = { modelId: string } | { name: string };

@Injectable()
export class HistoryRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Newest first, `limit` events older than event `before` (keyset paging: stable under appends). */
  async page(subject: HistorySubject, limit: number, before: string | undefined): Promise<AuditEvent[]> {
    const [column, value] = 'modelId' in subject ? ['model_id', subject.modelId] : ['model_name', subject.name];
    const { rows } = await this.pool.query<AuditRow>(
      `SELECT event_id::text AS id, model_name, version, action, alias, from_value, to_value, actor, request_id, at
       FROM registry.audit_events
       WHERE ${column} = $1 AND ($2::bigint IS NULL OR event_id < $2::bigint)
       ORDER BY event_id DESC LIMIT $3`,
      [value, before ?? null, limit],
    );
    return rows.map(toAuditEvent);
  }
}
