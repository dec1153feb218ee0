import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { canonicalArtifactPath, joinArtifactPath } from '@cairn/artifact-path';
import { parseRequest } from '@cairn/mlflow-wire';
import { withRunId } from '../run-id';
import * as R from './artifact.requests';
import { ArtifactRoots } from './artifact-roots';
import { ArtifactTransfer } from './artifact-transfer';

/**
 * Run artifacts through the tracking API: `artifacts/list` (paths relative to the run root) and
 * the UI's `/get-artifact` download. The run's root comes from tracking-svc, never the client.
 */
@Controller()
export class RunArtifactsController {
  constructor(
    private readonly roots: ArtifactRoots,
    private readonly transfer: ArtifactTransfer,
  ) {}

  @Get(['api/2.0/mlflow/artifacts/list', 'ajax-api/2.0/mlflow/artifacts/list'])
  async list(@Query() query: unknown) {
    const request = parseRequest(R.ListRunArtifacts, withRunId(query));
    const directory = canonicalArtifactPath(request.path);
    return this.transfer.listUnder(await this.roots.ofRun(request.run_id), directory);
  }

  @Get(['get-artifact', 'ajax-api/2.0/mlflow/get-artifact'])
  async download(@Query() query: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { run_id, path } = parseRequest(R.GetRunArtifact, withRunId(query));
    const relative = canonicalArtifactPath(path);
    const root = await this.roots.ofRun(run_id);
    return this.transfer.send(joinArtifactPath(root.key, relative), request, reply);
  }
}
