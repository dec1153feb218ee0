import { MessagePattern, Payload } from '@nestjs/microservices';
import type { Empty, LogInputsRequest, LogOutputsRequest, SearchDatasetsRequest, SearchDatasetsResponse } from '@cairn/contracts';
import { TrackingPatterns } from '@cairn/contracts';
import { RpcController } from '@cairn/nest-common';
import { DatasetsService } from './datasets.service';

const done = (): Empty => ({});

@RpcController()
export class DatasetsController {
  constructor(private readonly datasets: DatasetsService) {}

  @MessagePattern(TrackingPatterns.runs.logInputs)
  logInputs(@Payload() req: LogInputsRequest): Promise<Empty> {
    return this.datasets.logInputs(req).then(done);
  }

  @MessagePattern(TrackingPatterns.runs.logOutputs)
  logOutputs(@Payload() req: LogOutputsRequest): Promise<Empty> {
    return this.datasets.logOutputs(req).then(done);
  }

  @MessagePattern(TrackingPatterns.datasets.search)
  search(@Payload() req: SearchDatasetsRequest): Promise<SearchDatasetsResponse> {
    return this.datasets.searchDatasets(req);
  }
}
