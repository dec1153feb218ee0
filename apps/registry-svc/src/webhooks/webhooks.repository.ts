import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Webhook, WebhookDelivery, WebhookEvent, WebhookStatus } from '@cairn/contracts';
import type { Queryable } from '@cairn/nest-common';
import { PG_POOL } from '@cairn/nest-common';

export interface WebhookRow extends Webhook {
  secret_enc: string | null;
}

const COLUMNS = `webhook_id, name, description, url, events, secret_enc, status,
  creation_timestamp::float8 AS creation_timestamp, last_updated_timestamp::float8 AS last_updated_timestamp`;

export const toWebhook = (row: WebhookRow): Webhook => {
  const { secret_enc: _secret, description, ...rest } = row;
  return { ...rest, ...(description !== null && description !== undefined && { description }) };
};

export interface DeliveryInsert {
  deliveryId: string;
  webhookId: string;
  eventId: string;
  event: WebhookEvent;
  payload: string;
  now: number;
}

export interface DueDelivery {
  delivery_id: string;
  webhook_id: string;
  url: string;
  secret_enc: string | null;
  payload: string;
  attempts: number;
}

@Injectable()
export class WebhooksRepository {
  constructor(@Inject(PG_POOL) readonly pool: Pool) {}

  async insert(w: Omit<WebhookRow, 'creation_timestamp' | 'last_updated_timestamp'>, now: number): Promise<WebhookRow> {
    const { rows } = await this.pool.query<WebhookRow>(
      `INSERT INTO registry.webhooks (webhook_id, name, description, url, events, secret_enc, status, creation_timestamp, last_updated_timestamp)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING ${COLUMNS}`,
      [w.webhook_id, w.name, w.description ?? null, w.url, JSON.stringify(w.events), w.secret_enc, w.status, now],
    );
    return rows[0]!;
  }

  async find(id: string): Promise<WebhookRow | undefined> {
    const { rows } = await this.pool.query<WebhookRow>(`SELECT ${COLUMNS} FROM registry.webhooks WHERE webhook_id = $1`, [id]);
    return rows[0];
  }

  /** The most recently written encrypted secret, to check the configured key against. */
  async latestSealedSecret(): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ secret_enc: string }>(
      `SELECT secret_enc FROM registry.webhooks WHERE secret_enc IS NOT NULL ORDER BY last_updated_timestamp DESC LIMIT 1`,
    );
    return rows[0]?.secret_enc;
  }

  async list(limit: number, after?: { ts: number; id: string }): Promise<WebhookRow[]> {
    const { rows } = await this.pool.query<WebhookRow>(
      `SELECT ${COLUMNS} FROM registry.webhooks
       WHERE $2::bigint IS NULL OR (creation_timestamp, webhook_id) > ($2::bigint, $3::text)
       ORDER BY creation_timestamp, webhook_id LIMIT $1`,
      [limit, after?.ts ?? null, after?.id ?? null],
    );
    return rows;
  }

  async update(id: string, set: Partial<Omit<WebhookRow, 'webhook_id'>>, now: number): Promise<WebhookRow | undefined> {
    const { rows } = await this.pool.query<WebhookRow>(
      `UPDATE registry.webhooks SET
         name = COALESCE($2, name), description = COALESCE($3, description), url = COALESCE($4, url),
         events = COALESCE($5::jsonb, events), secret_enc = COALESCE($6, secret_enc), status = COALESCE($7, status),
         last_updated_timestamp = $8
       WHERE webhook_id = $1 RETURNING ${COLUMNS}`,
      [id, set.name ?? null, set.description ?? null, set.url ?? null, set.events ? JSON.stringify(set.events) : null, set.secret_enc ?? null, set.status ?? null, now],
    );
    return rows[0];
  }

  async delete(id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(`DELETE FROM registry.webhooks WHERE webhook_id = $1`, [id]);
    return (rowCount ?? 0) > 0;
  }

  /** Active webhooks subscribed to `event`. */
  async subscribers(event: WebhookEvent, db: Queryable = this.pool): Promise<{ webhook_id: string }[]> {
    const { rows } = await db.query<{ webhook_id: string }>(
      `SELECT webhook_id FROM registry.webhooks WHERE status = 'ACTIVE' AND events @> $1::jsonb`,
      [JSON.stringify([event])],
    );
    return rows;
  }

  /** Idempotent per (webhook, event): a redelivered event adds nothing. */
  async enqueue(d: DeliveryInsert, db: Queryable = this.pool): Promise<void> {
    await db.query(
      `INSERT INTO registry.webhook_deliveries
         (delivery_id, webhook_id, event_id, entity, action, payload, status, next_attempt_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'PENDING', $7, $7, $7)
       ON CONFLICT (webhook_id, event_id) DO NOTHING`,
      [d.deliveryId, d.webhookId, d.eventId, d.event.entity, d.event.action, d.payload, d.now],
    );
  }

  /** Claims due deliveries: pushes their next attempt out by `leaseMs` so no other worker takes them meanwhile. */
  async claimDue(now: number, limit: number, leaseMs: number): Promise<DueDelivery[]> {
    const { rows } = await this.pool.query<DueDelivery>(
      `WITH due AS (
         SELECT delivery_id FROM registry.webhook_deliveries
         WHERE status = 'PENDING' AND next_attempt_at <= $1
         ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED
       )
       UPDATE registry.webhook_deliveries d SET next_attempt_at = $1 + $3
       FROM due, registry.webhooks w
       WHERE d.delivery_id = due.delivery_id AND w.webhook_id = d.webhook_id
       RETURNING d.delivery_id::text, d.webhook_id, w.url, w.secret_enc, d.payload, d.attempts`,
      [now, limit, leaseMs],
    );
    return rows;
  }

  /** The delivery's new state and one row of its attempt log, in one statement. */
  async recordAttempt(
    deliveryId: string,
    outcome: { status: 'PENDING' | 'SUCCEEDED' | 'FAILED'; responseStatus?: number; error?: string; nextAttemptAt: number },
    attempt: { at: number; durationMs: number },
    now: number,
  ): Promise<void> {
    await this.pool.query(
      `WITH d AS (
         UPDATE registry.webhook_deliveries SET status = $2, attempts = attempts + 1, response_status = $3,
           last_error = $4, next_attempt_at = $5, updated_at = $6
         WHERE delivery_id = $1 RETURNING delivery_id, attempts
       )
       INSERT INTO registry.webhook_delivery_attempts (delivery_id, attempt, attempted_at, duration_ms, response_status, error)
       SELECT delivery_id, attempts, $7, $8, $3, $4 FROM d`,
      [deliveryId, outcome.status, outcome.responseStatus ?? null, outcome.error?.slice(0, 2000) ?? null, outcome.nextAttemptAt, now, attempt.at, attempt.durationMs],
    );
  }

  /** A webhook's deliveries newest first, each with its attempts in order. */
  async deliveries(webhookId: string, limit: number, before?: { ts: number; id: string }): Promise<WebhookDelivery[]> {
    const { rows } = await this.pool.query<WebhookDelivery>(
      `SELECT d.delivery_id::text, d.event_id::text, d.entity, d.action, d.status, d.created_at::float8 AS created_at,
         CASE WHEN d.status = 'PENDING' THEN d.next_attempt_at::float8 END AS next_attempt_at,
         COALESCE((SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
                    'attempt', a.attempt, 'at', a.attempted_at, 'duration_ms', a.duration_ms,
                    'response_status', a.response_status, 'error', a.error)) ORDER BY a.attempt)
                   FROM registry.webhook_delivery_attempts a WHERE a.delivery_id = d.delivery_id), '[]'::jsonb) AS attempts
       FROM registry.webhook_deliveries d
       WHERE d.webhook_id = $1 AND ($3::bigint IS NULL OR (d.created_at, d.delivery_id) < ($3::bigint, $4::uuid))
       ORDER BY d.created_at DESC, d.delivery_id DESC LIMIT $2`,
      [webhookId, limit, before?.ts ?? null, before?.id ?? null],
    );
    return rows.map(({ next_attempt_at, ...d }) => ({ ...d, ...(next_attempt_at != null && { next_attempt_at }) }));
  }
}

export type { WebhookStatus };
