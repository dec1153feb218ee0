import { Body, Controller, Delete, Get, HttpCode, Post, Put, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CreateMultipartUploadResponse } from '@cairn/contracts';
import { ArtifactPatterns } from '@cairn/contracts';
import { canonicalArtifactPath } from '@cairn/artifact-path';
import { parseRequest, toWireJson } from '@cairn/mlflow-wire';
import { ServiceClient } from '@cairn/nest-common';
import { mlflowPaths } from '../mlflow-forwarder';
import * as R from './artifact.requests';
import { artifactKeyFromUrl, fileKeyFromUrl, multipartFileKey } from './artifact-key';
import { ArtifactTransfer } from './artifact-transfer';

const under = (route: string) => mlflowPaths('2.0', `mlflow-artifacts/${route}`).map((p) => `/${p}/`);
const FILES = under('artifacts');
const MPU_CREATE = under('mpu/create');
const MPU_COMPLETE = under('mpu/complete');
const MPU_ABORT = under('mpu/abort');

/**
 * MLflow's artifact proxy (mlflow_artifacts.proto, reference §1.5): paths are object keys under
 * the server's destination, read from the raw URL and canonicalized before anything else.
 */
@Controller(mlflowPaths('2.0', 'mlflow-artifacts'))
export class ArtifactProxyController {
  constructor(
    private readonly transfer: ArtifactTransfer,
    private readonly services: ServiceClient,
  ) {}

  @Get('artifacts')
  async list(@Query() query: unknown) {
    const { path } = parseRequest(R.ListProxyArtifacts, query);
    return toWireJson({ files: await this.transfer.list(canonicalArtifactPath(path)) });
  }

  @Get('artifacts/*')
  download(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.transfer.send(fileKeyFromUrl(request.raw.url ?? '', FILES), request, reply);
  }

  @Put('artifacts/*')
  async upload(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    await this.transfer.upload(fileKeyFromUrl(request.raw.url ?? '', FILES), request, reply);
    return {};
  }

  @Delete('artifacts/*')
  async delete(@Req() request: FastifyRequest) {
    await this.services.call(ArtifactPatterns.delete, { path: fileKeyFromUrl(request.raw.url ?? '', FILES) });
    return {};
  }

  @Post('mpu/create/*') @HttpCode(200)
  async createMultipart(@Req() request: FastifyRequest, @Body() body: unknown) {
    const { path, num_parts } = parseRequest(R.CreateMultipartUpload, body);
    const key = multipartFileKey(artifactKeyFromUrl(request.raw.url ?? '', MPU_CREATE), path);
    return toWireJson(await this.services.call<CreateMultipartUploadResponse>(ArtifactPatterns.mpuCreate, { path: key, num_parts: num_parts ?? 1 }));
  }

  @Post('mpu/complete/*') @HttpCode(200)
  async completeMultipart(@Req() request: FastifyRequest, @Body() body: unknown) {
    const { path, upload_id, parts } = parseRequest(R.CompleteMultipartUpload, body);
    const key = multipartFileKey(artifactKeyFromUrl(request.raw.url ?? '', MPU_COMPLETE), path);
    await this.services.call(ArtifactPatterns.mpuComplete, { path: key, upload_id: upload_id ?? '', parts });
    return {};
  }

  @Post('mpu/abort/*') @HttpCode(200)
  async abortMultipart(@Req() request: FastifyRequest, @Body() body: unknown) {
    const { path, upload_id } = parseRequest(R.AbortMultipartUpload, body);
    const key = multipartFileKey(artifactKeyFromUrl(request.raw.url ?? '', MPU_ABORT), path);
    await this.services.call(ArtifactPatterns.mpuAbort, { path: key, upload_id: upload_id ?? '' });
    return {};
  }
}
