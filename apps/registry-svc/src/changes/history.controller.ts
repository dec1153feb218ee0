import { MessagePattern, Payload } from '@nestjs/microservices';
import type { ModelHistoryRequest, ModelHistoryResponse } from '@cairn/contracts';
import { RegistryPatterns } from '@cairn/contracts';
import { RpcController } from '@cairn/nest-common';
import { HistoryService } from './history.service';

@RpcController()
export class HistoryController {
  constructor(private readonly history: HistoryService) {}

  @MessagePattern(RegistryPatterns.history.list)
  list(@Payload() req: ModelHistoryRequest): Promise<ModelHistoryResponse> {
    return this.history.list(req);
  }
}
