import { z } from 'zod';
import type { Env } from './read-env';
import { readEnv } from './read-env';

export interface WebhooksConfig {
  /**
   * Secret: encrypts webhook signing secrets at rest (AES-256-GCM, key = SHA-256 of this value).
   * Undefined: webhooks cannot have secrets (creating one is refused), and registry-svc refuses to
   * start while stored webhooks have secrets. All-in-one fills it from `<CAIRN_HOME>/webhook-secret.key`.
   */
  readonly secretKey?: string;
  /** Hosts (names or IP literals, lower case) that may resolve to private addresses: the SSRF guard's allow-list. */
  readonly allowedHosts: readonly string[];
  /** Per request: connect plus response. */
  readonly timeoutMs: number;
  /** Attempts per delivery, the first included; backoff doubles from `retryBaseMs`. */
  readonly maxAttempts: number;
  readonly retryBaseMs: number;
}

const hostList = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(',')
      .map((h) => h.trim().toLowerCase().replace(/^\[|\]$/g, ''))
      .filter(Boolean),
  );

export function readWebhooksConfig(env: Env = process.env): WebhooksConfig {
  const v = readEnv(
    {
      CAIRN_WEBHOOK_SECRET_KEY: z.string().min(16, 'at least 16 characters').optional(),
      CAIRN_WEBHOOK_ALLOWED_HOSTS: hostList,
      CAIRN_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
      CAIRN_WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().positive().max(20).default(5),
      CAIRN_WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().positive().default(1000),
    },
    env,
  );
  return Object.freeze({
    secretKey: v.CAIRN_WEBHOOK_SECRET_KEY,
    allowedHosts: Object.freeze(v.CAIRN_WEBHOOK_ALLOWED_HOSTS),
    timeoutMs: v.CAIRN_WEBHOOK_TIMEOUT_MS,
    maxAttempts: v.CAIRN_WEBHOOK_MAX_ATTEMPTS,
    retryBaseMs: v.CAIRN_WEBHOOK_RETRY_BASE_MS,
  });
}
