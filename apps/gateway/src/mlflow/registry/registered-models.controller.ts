import { Body, Controller, Delete, Get, Headers, HttpCode, Patch, Post, Query } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { RegistryPatterns } from '@cairn/contracts';
import { fromQuery, parseRequest } from '@cairn/mlflow-wire';
import { ServiceClient } from '@cairn/nest-common';
import { MlflowForwarder, mlflowPaths } from '../mlflow-forwarder';
import { searchPage, sendCommand } from './registry-calls';
import * as R from './registry.requests';

const P = RegistryPatterns.registeredModels;
const A = RegistryPatterns.aliases;

/** MLflow's registered models API (reference §1.4): models, their tags and aliases. */
@Controller(mlflowPaths('2.0', 'mlflow/registered-models'))
export class RegisteredModelsController {
  constructor(
    private readonly mlflow: MlflowForwarder,
    private readonly services: ServiceClient,
  ) {}

  @Post('create') @HttpCode(200)
  create(@Body() body: unknown, @Headers() h: IncomingHttpHeaders) { return sendCommand(this.services, P.create, R.CreateRegisteredModel, body, h); }

  @Get('get')
  get(@Query() query: unknown) { return this.mlflow.forwardQuery(P.get, R.RegisteredModelName, query); }

  @Post('rename') @HttpCode(200)
  rename(@Body() body: unknown, @Headers() h: IncomingHttpHeaders) { return sendCommand(this.services, P.rename, R.RenameRegisteredModel, body, h); }

  @Patch('update')
  update(@Body() body: unknown, @Headers() h: IncomingHttpHeaders) { return sendCommand(this.services, P.update, R.UpdateRegisteredModel, body, h); }

  @Delete('delete')
  delete(@Body() body: unknown, @Headers() h: IncomingHttpHeaders) { return sendCommand(this.services, P.delete, R.RegisteredModelName, body, h); }

  @Get('search')
  search(@Query() query: unknown) {
    const request = parseRequest(R.SearchRegisteredModels, fromQuery(R.SearchRegisteredModels, query));
    return searchPage(this.services, P.search, request, 'registered_models');
  }

  /** Deprecated since MLflow 2.9, still served; clients try POST first, then GET. */
  @Post('get-latest-versions') @HttpCode(200)
  latestVersions(@Body() body: unknown) { return this.mlflow.forward(P.getLatestVersions, R.GetLatestVersions, body); }

  @Get('get-latest-versions')
  latestVersionsByQuery(@Query() query: unknown) { return this.mlflow.forwardQuery(P.getLatestVersions, R.GetLatestVersions, query); }

  @Post('set-tag') @HttpCode(200)
  setTag(@Body() body: unknown, @Headers() h: IncomingHttpHeaders) { return sendCommand(this.services, P.setTag, R.SetRegisteredModelTag, body, h); }

  @Delete('delete-tag')
  deleteTag(@Body() body: unknown, @Headers() h: IncomingHttpHeaders) { return sendCommand(this.services, P.deleteTag, R.DeleteRegisteredModelTag, body, h); }

  @Post('alias') @HttpCode(200)
  setAlias(@Body() body: unknown, @Headers() h: IncomingHttpHeaders) { return sendCommand(this.services, A.set, R.SetAlias, body, h); }

  @Delete('alias')
  deleteAlias(@Body() body: unknown, @Headers() h: IncomingHttpHeaders) { return sendCommand(this.services, A.delete, R.ModelAlias, body, h); }

  @Get('alias')
  getByAlias(@Query() query: unknown) { return this.mlflow.forwardQuery(A.getVersion, R.ModelAlias, query); }
}
