import type { Type } from '@nestjs/common';
import { Inject } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import type { Pool } from 'pg';
import type { PingResponse, ServiceName } from '@cairn/contracts';
import { HealthPatterns } from '@cairn/contracts';
import { PG_POOL } from '../database/database.module';
import { RpcController } from '../rpc/rpc-controller.decorator';

/** The `<svc>.health.ping.v1` handler: answers only when the service's database answers. */
export function healthController(service: ServiceName): Type<unknown> {
  @RpcController()
  class HealthController {
    constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

    @MessagePattern(HealthPatterns[service])
    async ping(): Promise<PingResponse> {
      await this.pool.query('SELECT 1');
      return { service, database: 'ok' };
    }
  }
  return HealthController;
}
