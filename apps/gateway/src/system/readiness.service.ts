import { Injectable } from '@nestjs/common';
import type { PingResponse, ServiceName } from '@cairn/contracts';
import { HealthPatterns, ServiceNames } from '@cairn/contracts';
import { ServiceClient } from '@cairn/nest-common';

const READINESS_TIMEOUT_MS = 2000;

export interface ReadinessReport {
  ready: boolean;
  services: Record<ServiceName, 'ok' | string>;
}

@Injectable()
export class ReadinessService {
  constructor(private readonly services: ServiceClient) {}

  async check(): Promise<ReadinessReport> {
    const results = await Promise.all(
      ServiceNames.map(async (name) => {
        try {
          await this.services.call<PingResponse>(HealthPatterns[name], {}, { timeoutMs: READINESS_TIMEOUT_MS });
          return [name, 'ok'] as const;
        } catch (err) {
          return [name, err instanceof Error ? err.message : String(err)] as const;
        }
      }),
    );
    return {
      ready: results.every(([, state]) => state === 'ok'),
      services: Object.fromEntries(results) as ReadinessReport['services'],
    };
  }
}
