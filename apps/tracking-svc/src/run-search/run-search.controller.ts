import { MessagePattern, Payload } from '@nestjs/microservices';
import type { SearchRunsRequest, SearchRunsResponse } from '@cairn/contracts';
import { TrackingPatterns } from '@cairn/contracts';
import { RpcController } from '@cairn/nest-common';
import { RunSearchService } from './run-search.service';

@RpcController()
export class RunSearchController {
  constructor(private readonly runSearch: RunSearchService) {}

  @MessagePattern(TrackingPatterns.runs.search)
  search(@Payload() req: SearchRunsRequest): Promise<SearchRunsResponse> {
    return this.runSearch.search(req);
  }
}
