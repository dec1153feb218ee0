import { Controller, Get, Header, HttpCode, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { MLFLOW_API_LEVEL } from '@cairn/contracts';
import { ReadinessService } from './readiness.service';

@Controller()
export class SystemController {
  constructor(private readonly readiness: ReadinessService) {}

  /** Liveness: the process answers. */
  @Get('health')
  @Header('content-type', 'text/plain; charset=utf-8')
  health(): string {
    return 'OK';
  }

  @Get('version')
  @Header('content-type', 'text/plain; charset=utf-8')
  version(): string {
    return MLFLOW_API_LEVEL;
  }

  /** Readiness: every service answers through the transport and reaches its database. */
  @Get('ready')
  @HttpCode(200)
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const report = await this.readiness.check();
    if (!report.ready) void reply.status(503);
    return report;
  }
}
