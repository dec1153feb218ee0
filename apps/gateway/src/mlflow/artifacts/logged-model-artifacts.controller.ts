import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CairnError, ErrorCode } from '@cairn/contracts';
import { canonicalArtifactPath, joinArtifactPath } from '@cairn/artifact-path';
import { parseRequest } from '@cairn/mlflow-wire';
import { mlflowPaths } from '../mlflow-forwarder';
import * as R from './artifact.requests';
import { ArtifactRoots } from './artifact-roots';
import { ArtifactTransfer } from './artifact-transfer';

/** MLflow 3 logged-model artifacts: the directory listing clients use, and the UI's file download. */
@Controller(mlflowPaths('2.0', 'mlflow/logged-models'))
export class LoggedModelArtifactsController {
  constructor(
    private readonly roots: ArtifactRoots,
    private readonly transfer: ArtifactTransfer,
  ) {}

  @Get(':modelId/artifacts/directories')
  async list(@Param('modelId') modelId: string, @Query() query: unknown) {
    const { artifact_directory_path } = parseRequest(R.ListModelArtifacts, query);
    const directory = canonicalArtifactPath(artifact_directory_path);
    return this.transfer.listUnder(await this.roots.ofLoggedModel(modelId), directory);
  }

  @Get(':modelId/artifacts/files')
  async download(
    @Param('modelId') modelId: string,
    @Query('artifact_file_path') path: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    if (typeof path !== 'string' || path === '') {
      throw new CairnError(ErrorCode.BAD_REQUEST, 'Request must include the "artifact_file_path" query parameter.');
    }
    const relative = canonicalArtifactPath(path);
    const root = await this.roots.ofLoggedModel(modelId);
    return this.transfer.send(joinArtifactPath(root.key, relative), request, reply);
  }
}
