import { MessagePattern, Payload } from '@nestjs/microservices';
import type {
  GetMetricHistoryBulkIntervalRequest,
  GetMetricHistoryBulkRequest,
  GetMetricHistoryRequest,
  GetMetricHistoryResponse,
  MetricsWithRunIdResponse,
} from '@cairn/contracts';
import { TrackingPatterns } from '@cairn/contracts';
import { RpcController } from '@cairn/nest-common';
import { MetricsService } from './metrics.service';

const P = TrackingPatterns.metrics;

@RpcController()
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @MessagePattern(P.getHistory)
  getHistory(@Payload() req: GetMetricHistoryRequest): Promise<GetMetricHistoryResponse> {
    return this.metrics.history(req);
  }

  @MessagePattern(P.getHistoryBulk)
  getHistoryBulk(@Payload() req: GetMetricHistoryBulkRequest): Promise<MetricsWithRunIdResponse> {
    return this.metrics.historyBulk(req);
  }

  @MessagePattern(P.getHistoryBulkInterval)
  getHistoryBulkInterval(@Payload() req: GetMetricHistoryBulkIntervalRequest): Promise<MetricsWithRunIdResponse> {
    return this.metrics.historyBulkInterval(req);
  }
}
