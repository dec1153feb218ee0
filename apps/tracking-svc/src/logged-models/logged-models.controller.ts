import { MessagePattern, Payload } from '@nestjs/microservices';
import type {
  CreateLoggedModelRequest,
  DeleteLoggedModelTagRequest,
  Empty,
  FinalizeLoggedModelRequest,
  GetLoggedModelRequest,
  LoggedModelIdRequest,
  LoggedModelResponse,
  LogLoggedModelParamsRequest,
  SearchLoggedModelsRequest,
  SearchLoggedModelsResponse,
  SetLoggedModelTagsRequest,
} from '@cairn/contracts';
import { LoggedModelPatterns as P } from '@cairn/contracts';
import { RpcController } from '@cairn/nest-common';
import { LoggedModelsService } from './logged-models.service';

const done = (): Empty => ({});

@RpcController()
export class LoggedModelsController {
  constructor(private readonly models: LoggedModelsService) {}

  @MessagePattern(P.create)
  async create(@Payload() req: CreateLoggedModelRequest): Promise<LoggedModelResponse> {
    return { model: await this.models.create(req) };
  }

  @MessagePattern(P.get)
  async get(@Payload() req: GetLoggedModelRequest): Promise<LoggedModelResponse> {
    return { model: await this.models.get(req) };
  }

  @MessagePattern(P.finalize)
  async finalize(@Payload() req: FinalizeLoggedModelRequest): Promise<LoggedModelResponse> {
    return { model: await this.models.finalize(req) };
  }

  @MessagePattern(P.delete)
  delete(@Payload() req: LoggedModelIdRequest): Promise<Empty> {
    return this.models.delete(req.model_id).then(done);
  }

  @MessagePattern(P.search)
  search(@Payload() req: SearchLoggedModelsRequest): Promise<SearchLoggedModelsResponse> {
    return this.models.searchModels(req);
  }

  @MessagePattern(P.setTags)
  async setTags(@Payload() req: SetLoggedModelTagsRequest): Promise<LoggedModelResponse> {
    return { model: await this.models.setTags(req) };
  }

  @MessagePattern(P.deleteTag)
  deleteTag(@Payload() req: DeleteLoggedModelTagRequest): Promise<Empty> {
    return this.models.deleteTag(req).then(done);
  }

  @MessagePattern(P.logParams)
  logParams(@Payload() req: LogLoggedModelParamsRequest): Promise<Empty> {
    return this.models.logParams(req).then(done);
  }
}
