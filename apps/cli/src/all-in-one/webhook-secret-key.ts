import { randomBytes } from 'node:crypto';
import { chmod, link, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { WebhooksConfig } from '@cairn/config';

export const WEBHOOK_KEY_FILE = 'webhook-secret.key';

/**
 * All-in-one's webhook secret key when CAIRN_WEBHOOK_SECRET_KEY is unset: made once, kept in
 * `<CAIRN_HOME>/webhook-secret.key` (mode 0600) next to the database it protects, so webhook
 * secrets survive restarts. Created by linking a complete temporary file, so a crash never
 * leaves a half-written key.
 */
export async function withWebhookSecretKey(config: WebhooksConfig, home: string): Promise<WebhooksConfig> {
  if (config.secretKey) return config;
  const file = path.join(home, WEBHOOK_KEY_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
    await link(tmp, file).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    });
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  if ((await stat(file)).mode & 0o077) await chmod(file, 0o600);
  const key = (await readFile(file, 'utf8')).trim();
  if (key.length < 16) throw new Error(`${file} does not hold a webhook secret key (at least 16 characters)`);
  return { ...config, secretKey: key };
}
