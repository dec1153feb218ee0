import { Inject } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import type { Pool } from 'pg';
import type { PingResponse } from '@cairn/contracts';
import { HealthPatterns } from '@cairn/contracts';
import { PG_POOL, RpcController } from '@cairn/nest-common';
import { ObjectsService } from '../objects/objects.service';

/** How long the store gets to answer a readiness ping (the gateway waits 2 s for the whole ping). */
export const STORE_PROBE_TIMEOUT_MS = 1500;

/** `artifacts.health.ping.v1`: answers only when both the database and the artifact store answer. */
@RpcController()
export class ArtifactsHealthController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly objects: ObjectsService,
  ) {}

  @MessagePattern(HealthPatterns.artifacts)
  async ping(): Promise<PingResponse> {
    await Promise.all([this.pool.query('SELECT 1'), this.objects.probe(STORE_PROBE_TIMEOUT_MS)]);
    return { service: 'artifacts', database: 'ok' };
  }
}
