import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { invalidState } from '@cairn/contracts';

/** AES-256-GCM for webhook secrets at rest: `v1.<iv>.<tag>.<ciphertext>`, base64url parts. */
export class SecretBox {
  private readonly key?: Buffer;

  /**
   * Without a key nothing can be sealed or opened: a key made up per process would make every
   * secret unreadable after a restart, or on another replica.
   */
  constructor(secretKey?: string) {
    this.key = secretKey ? createHash('sha256').update(secretKey, 'utf8').digest() : undefined;
  }

  get hasKey(): boolean {
    return this.key !== undefined;
  }

  seal(plain: string): string {
    const key = this.requireKey();
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), data].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  /** Throws when the value was sealed with another key. */
  open(sealed: string): string {
    const key = this.requireKey();
    const [version, iv, tag, data] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || data === undefined) throw new Error('unreadable webhook secret');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }

  private requireKey(): Buffer {
    if (!this.key) {
      throw invalidState('Webhook secrets are disabled: registry-svc has no CAIRN_WEBHOOK_SECRET_KEY to encrypt them with. Set it, or create the webhook without a secret.');
    }
    return this.key;
  }
}
