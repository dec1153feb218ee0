import { Body, Controller, Delete, Get, Headers, HttpCode, Logger, Patch, Post, Query } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import type { ModelVersionResponse } from '@cairn/contracts';
import { RegistryPatterns } from '@cairn/contracts';
import { fromQuery, parseRequest } from '@cairn/mlflow-wire';
import { ServiceClient } from '@cairn/nest-common';
import { MlflowForwarder, mlflowPaths } from '../mlflow-forwarder';
import { lineageOf, linkToLoggedModel } from './model-version-lineage';
import { searchPage, sendCommand } from './registry-calls';
import * as R from './registry.requests';

const P = RegistryPatterns.modelVersions;

/** MLflow's model versions API (reference §1.4): versions, stages, tags and download URIs. */
@Controller(mlflowPaths('2.0', 'mlflow/model-versions'))
export class ModelVersionsController {
  private readonly logger = new Logger('ModelVersions');

  constructor(
    private readonly mlflow: MlflowForwarder,
    private readonly services: ServiceClient,
  ) {}

  /** The run and logged model the version names are looked up here, so registry-svc needs no tracking call. */
  @Post('create') @HttpCode(200)
  async create(@Body() body: unknown, @Headers() h: IncomingHttpHeaders) {
    const request = parseRequest(R.CreateModelVersion, body);
    const lineage = await lineageOf(this.services, request);
    const created = (await sendCommand(this.services, P.create, R.CreateModelVersion, body, h, { lineage })) as ModelVersionResponse;
    if (request.model_id && lineage.logged_model) {
      const { name, version } = created.model_version;
      // The version is committed: a failed link is logged, not reported as a failed registration.
      await linkToLoggedModel(this.services, request.model_id, name, version).catch((err: unknown) =>
        this.logger.warn(`Could not link ${name} v${version} to logged model ${request.model_id}: ${String(err)}`),
      );
    }
    return created;
  }

  @Get('get')
  get(@Query() query: unknown) { return this.mlflow.forwardQuery(P.get, R.ModelVersionId, query); }

  @Patch('update')
  update(@Body() body: unknown, @Headers() h: IncomingHttpHeaders) { return sendCommand(this.services, P.update, R.UpdateModelVersion, body, h); }

  @Delete('delete')
  delete(@Body() body: unknown, @Headers() h: IncomingHttpHeaders) { return sendCommand(this.services, P.delete, R.ModelVersionId, body, h); }

  @Post('transition-stage') @HttpCode(200)
  transition(@Body() body: unknown, @Headers() h: IncomingHttpHeaders) { return sendCommand(this.services, P.transitionStage, R.TransitionStage, body, h); }

  @Get('search')
  search(@Query() query: unknown) {
    const request = parseRequest(R.SearchModelVersions, fromQuery(R.SearchModelVersions, query));
    return searchPage(this.services, P.search, request, 'model_versions');
  }

  @Get('get-download-uri')
  downloadUri(@Query() query: unknown) { return this.mlflow.forwardQuery(P.getDownloadUri, R.DownloadUri, query); }

  @Post('set-tag') @HttpCode(200)
  setTag(@Body() body: unknown, @Headers() h: IncomingHttpHeaders) { return sendCommand(this.services, P.setTag, R.SetModelVersionTag, body, h); }

  @Delete('delete-tag')
  deleteTag(@Body() body: unknown, @Headers() h: IncomingHttpHeaders) { return sendCommand(this.services, P.deleteTag, R.DeleteModelVersionTag, body, h); }
}
