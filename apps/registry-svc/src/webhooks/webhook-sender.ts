import { Inject, Injectable } from '@nestjs/common';
import type { WebhooksConfig } from '@cairn/config';
import type { WebhookTestResult } from '@cairn/contracts';
import type { SecretBox } from './secret-box';
import { webhookSignature } from './signature';
import { checkWebhookUrl } from './ssrf-guard';
import { postJson } from './webhook-http';
import { SECRET_BOX, WEBHOOKS_CONFIG } from './webhooks.tokens';

/** One signed POST, as MLflow's `_send_webhook_request`, behind the SSRF guard. */
@Injectable()
export class WebhookSender {
  constructor(
    @Inject(WEBHOOKS_CONFIG) private readonly config: WebhooksConfig,
    @Inject(SECRET_BOX) private readonly secrets: SecretBox,
  ) {}

  /** Never throws: failures come back as `success: false` with the reason. */
  async send(url: string, secretEnc: string | null, deliveryId: string, payload: string): Promise<WebhookTestResult> {
    try {
      const target = await checkWebhookUrl(url, this.config.allowedHosts);
      const timestamp = String(Math.floor(Date.now() / 1000));
      const headers: Record<string, string> = { 'X-MLflow-Delivery-Id': deliveryId, 'X-MLflow-Timestamp': timestamp };
      if (secretEnc) headers['X-MLflow-Signature'] = webhookSignature(this.secrets.open(secretEnc), deliveryId, timestamp, payload);
      const res = await postJson(target, payload, headers, this.config.timeoutMs);
      return { success: res.status < 400, response_status: res.status, response_body: res.body };
    } catch (err) {
      return { success: false, error_message: (err as Error).message };
    }
  }
}

/**
 * `{entity, action, timestamp, data}` as MLflow's `_send_webhook_request` serializes it: the enum
 * values (`model_version`, `created`; the API's proto names are upper case), `isoformat()` with
 * microseconds, Python json.dumps separators.
 */
export function webhookBody(entity: string, action: string, data: unknown, at = new Date()): string {
  const timestamp = at.toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
  return pyJson({ entity: entity.toLowerCase(), action: action.toLowerCase(), timestamp, data });
}

/** json.dumps's default output (`", "` and `": "`, non-ASCII escaped), so receivers see MLflow's bytes. */
export function pyJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pyJson).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return `{${entries.map(([k, v]) => `${pyJson(k)}: ${pyJson(v)}`).join(', ')}}`;
}
