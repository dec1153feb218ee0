import { MessagePattern, Payload } from '@nestjs/microservices';
import type {
  CreateModelVersionRequest,
  DeleteModelVersionRequest,
  DeleteModelVersionTagRequest,
  Empty,
  ModelVersionDownloadUriResponse,
  ModelVersionRequest,
  ModelVersionResponse,
  SearchModelVersionsRequest,
  SearchModelVersionsResponse,
  SetModelVersionTagRequest,
  TransitionModelVersionStageRequest,
  UpdateModelVersionRequest,
} from '@cairn/contracts';
import { RegistryPatterns } from '@cairn/contracts';
import { RpcController } from '@cairn/nest-common';
import { ModelVersionSearch } from './model-version-search';
import { ModelVersionsService } from './model-versions.service';

const P = RegistryPatterns.modelVersions;
const done = (): Empty => ({});

@RpcController()
export class ModelVersionsController {
  constructor(
    private readonly versions: ModelVersionsService,
    private readonly searches: ModelVersionSearch,
  ) {}

  @MessagePattern(P.create)
  async create(@Payload() req: CreateModelVersionRequest): Promise<ModelVersionResponse> {
    return { model_version: await this.versions.create(req) };
  }

  @MessagePattern(P.get)
  async get(@Payload() req: ModelVersionRequest): Promise<ModelVersionResponse> {
    return { model_version: await this.versions.get(req.name, req.version) };
  }

  @MessagePattern(P.update)
  async update(@Payload() req: UpdateModelVersionRequest): Promise<ModelVersionResponse> {
    return { model_version: await this.versions.update(req) };
  }

  @MessagePattern(P.transitionStage)
  async transitionStage(@Payload() req: TransitionModelVersionStageRequest): Promise<ModelVersionResponse> {
    return { model_version: await this.versions.transitionStage(req) };
  }

  @MessagePattern(P.delete)
  delete(@Payload() req: DeleteModelVersionRequest): Promise<Empty> {
    return this.versions.delete(req).then(done);
  }

  @MessagePattern(P.search)
  search(@Payload() req: SearchModelVersionsRequest): Promise<SearchModelVersionsResponse> {
    return this.searches.run(req);
  }

  @MessagePattern(P.setTag)
  setTag(@Payload() req: SetModelVersionTagRequest): Promise<Empty> {
    return this.versions.setTag(req).then(done);
  }

  @MessagePattern(P.deleteTag)
  deleteTag(@Payload() req: DeleteModelVersionTagRequest): Promise<Empty> {
    return this.versions.deleteTag(req).then(done);
  }

  @MessagePattern(P.getDownloadUri)
  async downloadUri(@Payload() req: ModelVersionRequest): Promise<ModelVersionDownloadUriResponse> {
    return { artifact_uri: await this.versions.downloadUri(req.name, req.version) };
  }
}
