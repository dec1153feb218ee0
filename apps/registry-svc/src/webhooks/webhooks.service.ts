import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { WebhooksConfig } from '@cairn/config';
import type {
  CreateWebhookRequest,
  ListWebhookDeliveriesRequest,
  ListWebhookDeliveriesResponse,
  ListWebhooksRequest,
  ListWebhooksResponse,
  TestWebhookRequest,
  TestWebhookResponse,
  UpdateWebhookRequest,
  Webhook,
  WebhookEvent,
  WebhookStatus,
} from '@cairn/contracts';
import { invalidParameter, notFound, WEBHOOK_ACTIONS, WEBHOOK_ENTITIES, WEBHOOK_STATUSES } from '@cairn/contracts';
import type { SecretBox } from './secret-box';
import { checkWebhookUrl, SsrfError } from './ssrf-guard';
import { examplePayload } from './webhook-events';
import { webhookBody, WebhookSender } from './webhook-sender';
import { toWebhook, WebhooksRepository } from './webhooks.repository';
import { SECRET_BOX, WEBHOOKS_CONFIG } from './webhooks.tokens';

const NAME = /^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$/;

function validateName(name: string): string {
  if (name.length < 1 || name.length > 63 || !NAME.test(name)) {
    throw invalidParameter(
      `Invalid webhook name '${name}'. Name must be 1-63 characters of lowercase letters, digits, '.', '_' or '-', starting and ending with a letter or digit.`,
    );
  }
  return name;
}

function validateEvents(events: { entity: string; action: string }[] | undefined): WebhookEvent[] {
  if (!events || events.length === 0) throw invalidParameter('Webhook events must be a non-empty list');
  return events.map((e) => {
    if (!(WEBHOOK_ENTITIES as readonly string[]).includes(e.entity)) throw invalidParameter(`Invalid webhook entity: ${e.entity}`);
    if (!(WEBHOOK_ACTIONS as readonly string[]).includes(e.action)) throw invalidParameter(`Invalid webhook action: ${e.action}`);
    return { entity: e.entity, action: e.action } as WebhookEvent;
  });
}

function validateStatus(status: string | undefined): WebhookStatus | undefined {
  if (status === undefined) return undefined;
  if (!(WEBHOOK_STATUSES as readonly string[]).includes(status)) throw invalidParameter(`Invalid webhook status: ${status}`);
  return status as WebhookStatus;
}

const webhookNotFound = (id: string) => notFound(`Webhook with ID ${id} not found`);

function maxResults(value: number | undefined): number {
  const max = value ?? 100;
  if (!Number.isInteger(max) || max < 1 || max > 1000) throw invalidParameter('max_results must be between 1 and 1000');
  return max;
}

const cursor = (ts: number, id: string) => Buffer.from(JSON.stringify({ ts, id })).toString('base64url');

function readCursor(token: string | undefined): { ts: number; id: string } | undefined {
  if (!token) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { ts: unknown; id: unknown };
    if (typeof parsed.ts !== 'number' || typeof parsed.id !== 'string') throw new Error();
    return { ts: parsed.ts, id: parsed.id };
  } catch {
    throw invalidParameter('Invalid page token');
  }
}

@Injectable()
export class WebhooksService {
  constructor(
    private readonly repo: WebhooksRepository,
    private readonly sender: WebhookSender,
    @Inject(WEBHOOKS_CONFIG) private readonly config: WebhooksConfig,
    @Inject(SECRET_BOX) private readonly secrets: SecretBox,
  ) {}

  /** Refused at creation already, as MLflow's _validate_webhook_url; checked again at every send. */
  private async validateUrl(url: string): Promise<string> {
    if (!url || url.length > 2048) throw invalidParameter('Webhook URL must be 1-2048 characters');
    try {
      await checkWebhookUrl(url, this.config.allowedHosts);
    } catch (err) {
      if (err instanceof SsrfError) throw invalidParameter(err.message);
      throw err;
    }
    return url;
  }

  async create(req: CreateWebhookRequest): Promise<Webhook> {
    const row = await this.repo.insert(
      {
        webhook_id: randomUUID().replace(/-/g, ''),
        name: validateName(req.name),
        description: req.description,
        url: await this.validateUrl(req.url),
        events: validateEvents(req.events),
        secret_enc: req.secret ? this.secrets.seal(req.secret) : null,
        status: validateStatus(req.status) ?? 'ACTIVE',
      },
      Date.now(),
    );
    return toWebhook(row);
  }

  async get(id: string): Promise<Webhook> {
    const row = await this.repo.find(id);
    if (!row) throw webhookNotFound(id);
    return toWebhook(row);
  }

  async list(req: ListWebhooksRequest): Promise<ListWebhooksResponse> {
    const max = maxResults(req.max_results);
    const rows = await this.repo.list(max + 1, readCursor(req.page_token));
    const page = rows.slice(0, max);
    const last = page[page.length - 1];
    const next_page_token = rows.length > max && last ? cursor(last.creation_timestamp, last.webhook_id) : undefined;
    return { webhooks: page.map(toWebhook), ...(next_page_token && { next_page_token }) };
  }

  /** Cairn's delivery log: the webhook's deliveries, newest first, each with every attempt. */
  async deliveries(req: ListWebhookDeliveriesRequest): Promise<ListWebhookDeliveriesResponse> {
    const max = maxResults(req.max_results);
    if (!(await this.repo.find(req.webhook_id))) throw webhookNotFound(req.webhook_id);
    const before = readCursor(req.page_token);
    if (before && !/^[0-9a-f-]{36}$/.test(before.id)) throw invalidParameter('Invalid page token');
    const rows = await this.repo.deliveries(req.webhook_id, max + 1, before);
    const page = rows.slice(0, max);
    const last = page[page.length - 1];
    const next_page_token = rows.length > max && last ? cursor(last.created_at, last.delivery_id) : undefined;
    return { deliveries: page, ...(next_page_token && { next_page_token }) };
  }

  async update(req: UpdateWebhookRequest): Promise<Webhook> {
    const row = await this.repo.update(
      req.webhook_id,
      {
        name: req.name === undefined ? undefined : validateName(req.name),
        description: req.description,
        url: req.url === undefined ? undefined : await this.validateUrl(req.url),
        events: req.events === undefined ? undefined : validateEvents(req.events),
        secret_enc: req.secret ? this.secrets.seal(req.secret) : undefined,
        status: validateStatus(req.status),
      },
      Date.now(),
    );
    if (!row) throw webhookNotFound(req.webhook_id);
    return toWebhook(row);
  }

  async delete(id: string): Promise<void> {
    if (!(await this.repo.delete(id))) throw webhookNotFound(id);
  }

  async test(req: TestWebhookRequest): Promise<TestWebhookResponse> {
    const row = await this.repo.find(req.webhook_id);
    if (!row) throw webhookNotFound(req.webhook_id);
    const event = req.event ? validateEvents([req.event])[0]! : row.events[0]!;
    const body = webhookBody(event.entity, event.action, examplePayload(event));
    const result = await this.sender.send(row.url, row.secret_enc, randomUUID(), body);
    return { result: result.success || result.response_status !== undefined ? result : { success: false, error_message: `Failed to test webhook: ${result.error_message}` } };
  }
}
