import { MessagePattern, Payload } from '@nestjs/microservices';
import type {
  CreateRegisteredModelRequest,
  DeleteRegisteredModelRequest,
  DeleteRegisteredModelTagRequest,
  Empty,
  GetLatestVersionsRequest,
  ModelVersionsResponse,
  RegisteredModelNameRequest,
  RegisteredModelResponse,
  RenameRegisteredModelRequest,
  SearchRegisteredModelsRequest,
  SearchRegisteredModelsResponse,
  SetRegisteredModelTagRequest,
  UpdateRegisteredModelRequest,
} from '@cairn/contracts';
import { RegistryPatterns } from '@cairn/contracts';
import { RpcController } from '@cairn/nest-common';
import { RegisteredModelSearch } from './registered-model-search';
import { RegisteredModelsService } from './registered-models.service';

const P = RegistryPatterns.registeredModels;
const done = (): Empty => ({});

@RpcController()
export class RegisteredModelsController {
  constructor(
    private readonly models: RegisteredModelsService,
    private readonly searches: RegisteredModelSearch,
  ) {}

  @MessagePattern(P.create)
  async create(@Payload() req: CreateRegisteredModelRequest): Promise<RegisteredModelResponse> {
    return { registered_model: await this.models.create(req) };
  }

  @MessagePattern(P.get)
  async get(@Payload() req: RegisteredModelNameRequest): Promise<RegisteredModelResponse> {
    return { registered_model: await this.models.get(req.name) };
  }

  @MessagePattern(P.rename)
  async rename(@Payload() req: RenameRegisteredModelRequest): Promise<RegisteredModelResponse> {
    return { registered_model: await this.models.rename(req) };
  }

  @MessagePattern(P.update)
  async update(@Payload() req: UpdateRegisteredModelRequest): Promise<RegisteredModelResponse> {
    return { registered_model: await this.models.update(req) };
  }

  @MessagePattern(P.delete)
  delete(@Payload() req: DeleteRegisteredModelRequest): Promise<Empty> {
    return this.models.delete(req).then(done);
  }

  @MessagePattern(P.search)
  search(@Payload() req: SearchRegisteredModelsRequest): Promise<SearchRegisteredModelsResponse> {
    return this.searches.run(req);
  }

  @MessagePattern(P.setTag)
  setTag(@Payload() req: SetRegisteredModelTagRequest): Promise<Empty> {
    return this.models.setTag(req).then(done);
  }

  @MessagePattern(P.deleteTag)
  deleteTag(@Payload() req: DeleteRegisteredModelTagRequest): Promise<Empty> {
    return this.models.deleteTag(req).then(done);
  }

  @MessagePattern(P.getLatestVersions)
  async latestVersions(@Payload() req: GetLatestVersionsRequest): Promise<ModelVersionsResponse> {
    return { model_versions: await this.models.latestVersions(req) };
  }
}
