import { MessagePattern, Payload } from '@nestjs/microservices';
import type {
  DeleteRegisteredModelAliasRequest,
  Empty,
  GetModelVersionByAliasRequest,
  ModelVersionResponse,
  SetRegisteredModelAliasRequest,
} from '@cairn/contracts';
import { RegistryPatterns } from '@cairn/contracts';
import { RpcController } from '@cairn/nest-common';
import { AliasesService } from './aliases.service';

const P = RegistryPatterns.aliases;
const done = (): Empty => ({});

@RpcController()
export class AliasesController {
  constructor(private readonly aliases: AliasesService) {}

  @MessagePattern(P.set)
  set(@Payload() req: SetRegisteredModelAliasRequest): Promise<Empty> {
    return this.aliases.set(req).then(done);
  }

  @MessagePattern(P.delete)
  delete(@Payload() req: DeleteRegisteredModelAliasRequest): Promise<Empty> {
    return this.aliases.delete(req).then(done);
  }

  @MessagePattern(P.getVersion)
  async getVersion(@Payload() req: GetModelVersionByAliasRequest): Promise<ModelVersionResponse> {
    return { model_version: await this.aliases.versionOf(req) };
  }
}
