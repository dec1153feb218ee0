import { Injectable } from '@nestjs/common';
import type { PingResponse, ServiceName } from '@cairn/contracts';
import { HealthPatterns, ServiceNames } from '@cairn/contracts';
import { ServiceClient } from '@cairn/nest-common';
import { ArtifactDataPlane } from '../mlflow/artifacts/artifact-data-plane';

const READINESS_TIMEOUT_MS = 2000;

export interface ReadinessReport {
  ready: boolean;
  services: Record<ServiceName, 'ok' | string>;
}

@Injectable()
export class ReadinessService {
  constructor(
    private readonly services: ServiceClient,
    private readonly artifactDataPlane: ArtifactDataPlane,
  ) {}

  /** Every service's ping, and artifact-svc's HTTP data plane (reported as `artifacts` when it alone fails). */
  async check(): Promise<ReadinessReport> {
    const dataPlane = this.artifactDataPlane.probe(READINESS_TIMEOUT_MS).then(
      () => 'ok',
      (err: unknown) => (err instanceof Error ? err.message : String(err)),
    );
    const pings = Promise.all(
      ServiceNames.map(async (name) => {
        try {
          await this.services.call<PingResponse>(HealthPatterns[name], {}, { timeoutMs: READINESS_TIMEOUT_MS });
          return [name, 'ok'] as const;
        } catch (err) {
          return [name, err instanceof Error ? err.message : String(err)] as const;
        }
      }),
    );
    const [results, bytes] = await Promise.all([pings, dataPlane]);
    const services = Object.fromEntries(results) as ReadinessReport['services'];
    if (services.artifacts === 'ok') services.artifacts = bytes;
    return { ready: Object.values(services).every((state) => state === 'ok'), services };
  }
}
