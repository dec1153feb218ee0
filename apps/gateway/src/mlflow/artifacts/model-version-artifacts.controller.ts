import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { canonicalArtifactPath, joinArtifactPath } from '@cairn/artifact-path';
import { parseRequest } from '@cairn/mlflow-wire';
import * as R from './artifact.requests';
import { ArtifactRoots } from './artifact-roots';
import { ArtifactTransfer } from './artifact-transfer';

/**
 * The UI's read of a registered model version's files (its `MLmodel`, say): MLflow serves it at
 * `/model-versions/get-artifact` only, outside `/api` and `/ajax-api`. The version's download URI
 * comes from registry-svc; the path is checked before anything is looked up.
 */
@Controller()
export class ModelVersionArtifactsController {
  constructor(
    private readonly roots: ArtifactRoots,
    private readonly transfer: ArtifactTransfer,
  ) {}

  @Get('model-versions/get-artifact')
  async download(@Query() query: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { name, version, path } = parseRequest(R.GetModelVersionArtifact, query);
    const relative = canonicalArtifactPath(path);
    const root = await this.roots.ofModelVersion(name, version);
    return this.transfer.send(joinArtifactPath(root.key, relative), request, reply);
  }
}
