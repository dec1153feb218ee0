import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { TrackingPatterns } from '@cairn/contracts';
import { MlflowForwarder, mlflowPaths } from '../mlflow-forwarder';
import * as R from './experiment.requests';

const P = TrackingPatterns.experiments;

/** MLflow's experiments API (reference §1.2). */
@Controller(mlflowPaths('2.0', 'mlflow/experiments'))
export class ExperimentsController {
  constructor(private readonly mlflow: MlflowForwarder) {}

  @Post('create') @HttpCode(200)
  create(@Body() body: unknown) { return this.mlflow.forward(P.create, R.CreateExperiment, body); }

  @Get('get')
  get(@Query() query: unknown) { return this.mlflow.forwardQuery(P.get, R.GetExperiment, query); }

  @Get('get-by-name')
  getByName(@Query() query: unknown) { return this.mlflow.forwardQuery(P.getByName, R.GetExperimentByName, query); }

  @Post('search') @HttpCode(200)
  search(@Body() body: unknown) { return this.mlflow.forward(P.search, R.SearchExperiments, body); }

  @Get('search')
  searchByQuery(@Query() query: unknown) { return this.mlflow.forwardQuery(P.search, R.SearchExperiments, query); }

  @Post('update') @HttpCode(200)
  update(@Body() body: unknown) { return this.mlflow.forward(P.update, R.UpdateExperiment, body); }

  @Post('delete') @HttpCode(200)
  delete(@Body() body: unknown) { return this.mlflow.forward(P.delete, R.ExperimentId, body); }

  @Post('restore') @HttpCode(200)
  restore(@Body() body: unknown) { return this.mlflow.forward(P.restore, R.ExperimentId, body); }

  @Post('set-experiment-tag') @HttpCode(200)
  setTag(@Body() body: unknown) { return this.mlflow.forward(P.setTag, R.SetExperimentTag, body); }

  @Post('delete-experiment-tag') @HttpCode(200)
  deleteTag(@Body() body: unknown) { return this.mlflow.forward(P.deleteTag, R.DeleteExperimentTag, body); }
}
