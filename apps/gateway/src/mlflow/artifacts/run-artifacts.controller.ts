import { Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { invalidParameter } from '@cairn/contracts';
import { canonicalArtifactPath, joinArtifactPath } from '@cairn/artifact-path';
import { parseRequest } from '@cairn/mlflow-wire';
import { withRunId } from '../run-id';
import * as R from './artifact.requests';
import { ArtifactRoots } from './artifact-roots';
import { ArtifactTransfer } from './artifact-transfer';
import { UI_UPLOAD_MAX_BYTES } from './bounded-body';

/**
 * Run artifacts through the tracking API: `artifacts/list` (paths relative to the run root), the
 * UI's `/get-artifact` download and its `upload-artifact`. The run's root comes from tracking-svc,
 * never the client.
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

  /** The UI's small uploads (evaluation tables): the file's bytes are the body, at most 10 MB. */
  @Post('ajax-api/2.0/mlflow/upload-artifact') @HttpCode(200)
  async upload(@Query() query: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { run_id, path } = parseRequest(R.UploadRunArtifact, withRunId(query));
    if (!run_id) throw invalidParameter('Request must specify run_uuid.');
    if (!path) throw invalidParameter('Request must specify path.');
    const relative = canonicalArtifactPath(path);
    if (relative === '') throw invalidParameter('Invalid path');
    const root = await this.roots.ofRun(run_id);
    await this.transfer.uploadBounded(joinArtifactPath(root.key, relative), UI_UPLOAD_MAX_BYTES, request, reply);
    return reply.status(200).header('content-type', 'application/json').send('');
  }
}
