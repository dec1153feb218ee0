import type { OnModuleInit } from '@nestjs/common';
import { Inject, Injectable } from '@nestjs/common';
import type { SecretBox } from './secret-box';
import { WebhooksRepository } from './webhooks.repository';
import { SECRET_BOX } from './webhooks.tokens';

/**
 * Refuses to start a registry-svc that could not sign the deliveries of the webhooks already
 * stored: secrets exist but CAIRN_WEBHOOK_SECRET_KEY is unset, or it is not the key they were
 * sealed with. Failing at boot names the problem; failing at each delivery would hide it.
 */
@Injectable()
export class SecretKeyCheck implements OnModuleInit {
  constructor(
    private readonly repo: WebhooksRepository,
    @Inject(SECRET_BOX) private readonly secrets: SecretBox,
  ) {}

  async onModuleInit(): Promise<void> {
    const sealed = await this.repo.latestSealedSecret();
    if (sealed === undefined) return;
    if (!this.secrets.hasKey) {
      throw new Error(
        'CAIRN_WEBHOOK_SECRET_KEY is not set, but stored webhooks have signing secrets encrypted with it: set it to the key they were stored with',
      );
    }
    try {
      this.secrets.open(sealed);
    } catch {
      throw new Error('CAIRN_WEBHOOK_SECRET_KEY does not decrypt the stored webhook secrets: it is not the key they were stored with');
    }
  }
}
