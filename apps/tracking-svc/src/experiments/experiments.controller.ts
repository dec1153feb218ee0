import { MessagePattern, Payload } from '@nestjs/microservices';
import type {
  CreateExperimentRequest,
  CreateExperimentResponse,
  DeleteExperimentTagRequest,
  Empty,
  ExperimentIdRequest,
  ExperimentResponse,
  GetExperimentByNameRequest,
  GetExperimentRequest,
  SearchExperimentsRequest,
  SearchExperimentsResponse,
  SetExperimentTagRequest,
  UpdateExperimentRequest,
} from '@cairn/contracts';
import { TrackingPatterns } from '@cairn/contracts';
import { RpcController } from '@cairn/nest-common';
import { ExperimentsService } from './experiments.service';

const P = TrackingPatterns.experiments;
const done = (): Empty => ({});

@RpcController()
export class ExperimentsController {
  constructor(private readonly experiments: ExperimentsService) {}

  @MessagePattern(P.create)
  create(@Payload() req: CreateExperimentRequest): Promise<CreateExperimentResponse> {
    return this.experiments.create(req);
  }

  @MessagePattern(P.get)
  async get(@Payload() req: GetExperimentRequest): Promise<ExperimentResponse> {
    return { experiment: await this.experiments.get(req.experiment_id) };
  }

  @MessagePattern(P.getByName)
  async getByName(@Payload() req: GetExperimentByNameRequest): Promise<ExperimentResponse> {
    return { experiment: await this.experiments.getByName(req.experiment_name) };
  }

  @MessagePattern(P.search)
  search(@Payload() req: SearchExperimentsRequest): Promise<SearchExperimentsResponse> {
    return this.experiments.searchExperiments(req);
  }

  @MessagePattern(P.update)
  async update(@Payload() req: UpdateExperimentRequest): Promise<Empty> {
    return this.experiments.rename(req).then(done);
  }

  @MessagePattern(P.delete)
  delete(@Payload() req: ExperimentIdRequest): Promise<Empty> {
    return this.experiments.delete(req.experiment_id).then(done);
  }

  @MessagePattern(P.restore)
  restore(@Payload() req: ExperimentIdRequest): Promise<Empty> {
    return this.experiments.restore(req.experiment_id).then(done);
  }

  @MessagePattern(P.setTag)
  setTag(@Payload() req: SetExperimentTagRequest): Promise<Empty> {
    return this.experiments.setTag(req).then(done);
  }

  @MessagePattern(P.deleteTag)
  deleteTag(@Payload() req: DeleteExperimentTagRequest): Promise<Empty> {
    return this.experiments.deleteTag(req).then(done);
  }
}
