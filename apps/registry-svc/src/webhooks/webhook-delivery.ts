import { randomUUID } from 'node:crypto';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { WebhooksConfig } from '@cairn/config';
import type { RegistryEvent } from '@cairn/contracts';
import { withTransaction } from '@cairn/nest-common';
import type { EventBus } from '../events/event-bus';
import { EVENT_BUS } from '../events/event-bus';
import { webhookEventOf } from './webhook-events';
import { WebhookSender, webhookBody } from './webhook-sender';
import { WebhooksRepository } from './webhooks.repository';
import { WEBHOOKS_CONFIG } from './webhooks.tokens';

const DURABLE = 'registry-webhooks';
const POLL_MS = 200;
const BATCH = 20;

/** Backoff before attempt n+1 after n failed ones: base·2^(n-1), at most 10 minutes. */
export const backoffMs = (failedAttempts: number, baseMs: number) => Math.min(600_000, baseMs * 2 ** Math.max(0, failedAttempts - 1));

/**
 * Webhook delivery. A durable subscriber to registry events turns each event into one delivery
 * row per subscribed webhook (idempotent, so a redelivered event adds nothing); a worker sends due
 * rows, retrying failures and 429/5xx with exponential backoff up to `maxAttempts`. The rows are
 * the delivery log.
 */
@Injectable()
export class WebhookDelivery implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('WebhookDelivery');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Inject(WEBHOOKS_CONFIG) private readonly config: WebhooksConfig,
    private readonly repo: WebhooksRepository,
    private readonly sender: WebhookSender,
  ) {}

  async onApplicationBootstrap() {
    await this.bus.subscribe(DURABLE, (event) => this.enqueue(event));
    this.schedule(0);
  }

  async onApplicationShutdown() {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  async enqueue(event: RegistryEvent): Promise<void> {
    const webhookEvent = webhookEventOf(event);
    if (!webhookEvent) return;
    await withTransaction(this.repo.pool, async (db) => {
      const subscribers = await this.repo.subscribers(webhookEvent, db);
      const now = Date.now();
      // The body is fixed once, so every retry sends the same bytes (the signature's timestamp is per attempt).
      const payload = webhookBody(webhookEvent.entity, webhookEvent.action, event.payload, new Date(event.timestamp));
      for (const { webhook_id } of subscribers) {
        await this.repo.enqueue({ deliveryId: randomUUID(), webhookId: webhook_id, eventId: event.id, event: webhookEvent, payload, now }, db);
      }
    });
    this.schedule(0);
  }

  private schedule(delay: number) {
    if (this.stopped || this.running) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.sendDue()
        .catch((err: unknown) => this.logger.warn(`webhook delivery failed: ${(err as Error).message}`))
        .finally(() => {
          this.running = undefined;
          this.schedule(POLL_MS);
        });
    }, delay);
    this.timer.unref?.();
  }

  async sendDue(): Promise<void> {
    const leaseMs = this.config.timeoutMs * 2 + 5000;
    for (;;) {
      if (this.stopped) return;
      const due = await this.repo.claimDue(Date.now(), BATCH, leaseMs);
      await Promise.all(
        due.map(async (d) => {
          const at = Date.now();
          const result = await this.sender.send(d.url, d.secret_enc, d.delivery_id, d.payload);
          const attempts = d.attempts + 1;
          const retryable = !result.success && (result.response_status === undefined || result.response_status === 429 || result.response_status >= 500);
          const now = Date.now();
          const status = result.success ? 'SUCCEEDED' : retryable && attempts < this.config.maxAttempts ? 'PENDING' : 'FAILED';
          await this.repo.recordAttempt(
            d.delivery_id,
            {
              status,
              responseStatus: result.response_status,
              error: result.error_message ?? (result.success ? undefined : `HTTP ${result.response_status}`),
              nextAttemptAt: status === 'PENDING' ? now + backoffMs(attempts, this.config.retryBaseMs) : now,
            },
            { at, durationMs: now - at },
            now,
          );
        }),
      );
      if (due.length < BATCH) return;
    }
  }
}
