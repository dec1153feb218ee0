import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { LoggedModelPatterns as P } from '@cairn/contracts';
import { MlflowForwarder, mlflowPaths } from '../mlflow-forwarder';
import * as R from './logged-model.requests';

/** The path names the model; it wins over a `model_id` in the body or query. */
const withModelId = (message: unknown, modelId: string, extra: Record<string, string> = {}) => ({
  ...(message !== null && typeof message === 'object' && !Array.isArray(message) ? message : {}),
  model_id: modelId,
  ...extra,
});

/** MLflow 3 logged models (reference §1.3). */
@Controller(mlflowPaths('2.0', 'mlflow/logged-models'))
export class LoggedModelsController {
  constructor(private readonly mlflow: MlflowForwarder) {}

  @Post() @HttpCode(200)
  create(@Body() body: unknown) { return this.mlflow.forward(P.create, R.CreateLoggedModel, body); }

  @Post('search') @HttpCode(200)
  search(@Body() body: unknown) { return this.mlflow.forward(P.search, R.SearchLoggedModels, body); }

  @Get(':modelId')
  get(@Param('modelId') id: string, @Query() query: unknown) {
    return this.mlflow.forwardQuery(P.get, R.GetLoggedModel, withModelId(query, id));
  }

  @Patch(':modelId')
  finalize(@Param('modelId') id: string, @Body() body: unknown) {
    return this.mlflow.forward(P.finalize, R.FinalizeLoggedModel, withModelId(body, id));
  }

  @Delete(':modelId')
  delete(@Param('modelId') id: string) { return this.mlflow.forward(P.delete, R.LoggedModelId, withModelId({}, id)); }

  @Patch(':modelId/tags')
  setTags(@Param('modelId') id: string, @Body() body: unknown) {
    return this.mlflow.forward(P.setTags, R.SetLoggedModelTags, withModelId(body, id));
  }

  @Delete(':modelId/tags/:tagKey')
  deleteTag(@Param('modelId') id: string, @Param('tagKey') key: string) {
    return this.mlflow.forward(P.deleteTag, R.DeleteLoggedModelTag, withModelId({}, id, { tag_key: key }));
  }

  @Post(':modelId/params') @HttpCode(200)
  logParams(@Param('modelId') id: string, @Body() body: unknown) {
    return this.mlflow.forward(P.logParams, R.LogLoggedModelParams, withModelId(body, id));
  }
}
