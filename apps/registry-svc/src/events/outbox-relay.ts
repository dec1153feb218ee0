import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import type { RegistryEvent, RegistryEventType } from '@cairn/contracts';
import { PG_POOL, withTransaction } from '@cairn/nest-common';
import type { EventBus } from './event-bus';
import { EVENT_BUS } from './event-bus';

const BATCH = 100;
const INTERVAL_MS = 250;

interface OutboxRow {
  event_id: string;
  event_type: RegistryEventType;
  is_prompt: boolean;
  payload: RegistryEvent['payload'];
  actor: string;
  request_id: string | null;
  created_at: string;
}

/**
 * Sends committed outbox rows to the event bus in event_id order and stamps `published_at` in the
 * same transaction. Rows are locked with SKIP LOCKED, so replicas share the work; a crash between
 * publish and commit re-publishes, which JetStream drops by `Nats-Msg-Id` and subscribers tolerate.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
  ) {}

  onApplicationBootstrap() {
    this.schedule(0);
  }

  async onApplicationShutdown() {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await this.bus.close();
  }

  private schedule(delay: number) {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.drain()
        .then(() => undefined)
        .catch((err: unknown) => this.logger.warn(`outbox publish failed: ${(err as Error).message}`))
        .finally(() => this.schedule(INTERVAL_MS));
    }, delay);
    this.timer.unref?.();
  }

  /** Publishes until the outbox is empty; returns how many were published. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      if (this.stopped) return total;
      const n = await this.publishBatch();
      total += n;
      if (n < BATCH) return total;
    }
  }

  private publishBatch(): Promise<number> {
    return withTransaction(this.pool, async (db) => {
      const { rows } = await db.query<OutboxRow>(
        `SELECT event_id::text, event_type, is_prompt, payload, actor, request_id, created_at::text
         FROM registry.outbox WHERE published_at IS NULL ORDER BY event_id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [BATCH],
      );
      const published: string[] = [];
      try {
        for (const row of rows) {
          await this.bus.publish(toEvent(row));
          published.push(row.event_id);
        }
      } finally {
        // Keep what went out even when a later one failed; the rest stays for the next round.
        if (published.length > 0) {
          await db.query(`UPDATE registry.outbox SET published_at = $2 WHERE event_id = ANY($1::bigint[])`, [published, Date.now()]);
        }
      }
      return rows.length;
    });
  }
}

function toEvent(row: OutboxRow): RegistryEvent {
  return {
    id: row.event_id,
    type: row.event_type,
    is_prompt: row.is_prompt,
    actor: row.actor,
    ...(row.request_id && { request_id: row.request_id }),
    timestamp: Number(row.created_at),
    payload: row.payload,
  };
}
