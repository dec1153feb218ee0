import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { TrackingPatterns } from '@cairn/contracts';
import { MlflowForwarder, mlflowPaths } from '../mlflow-forwarder';
import { withRunId } from '../run-id';
import * as R from './run.requests';

const P = TrackingPatterns.runs;

/** MLflow's runs API (reference §1.2): create, get, update, delete, restore, tags, params, metrics, log-batch, log-model. */
@Controller(mlflowPaths('2.0', 'mlflow/runs'))
export class RunsController {
  constructor(private readonly mlflow: MlflowForwarder) {}

  @Post('create') @HttpCode(200)
  create(@Body() body: unknown) { return this.mlflow.forward(P.create, R.CreateRun, body); }

  @Get('get')
  get(@Query() query: unknown) { return this.mlflow.forwardQuery(P.get, R.RunId, withRunId(query)); }

  @Post('update') @HttpCode(200)
  update(@Body() body: unknown) { return this.mlflow.forward(P.update, R.UpdateRun, withRunId(body)); }

  @Post('delete') @HttpCode(200)
  delete(@Body() body: unknown) { return this.mlflow.forward(P.delete, R.RunId, withRunId(body)); }

  @Post('restore') @HttpCode(200)
  restore(@Body() body: unknown) { return this.mlflow.forward(P.restore, R.RunId, withRunId(body)); }

  @Post('set-tag') @HttpCode(200)
  setTag(@Body() body: unknown) { return this.mlflow.forward(P.setTag, R.SetRunTag, withRunId(body)); }

  @Post('delete-tag') @HttpCode(200)
  deleteTag(@Body() body: unknown) { return this.mlflow.forward(P.deleteTag, R.DeleteRunTag, withRunId(body)); }

  @Post('log-parameter') @HttpCode(200)
  logParam(@Body() body: unknown) { return this.mlflow.forward(P.logParam, R.LogParam, withRunId(body)); }

  @Post('log-metric') @HttpCode(200)
  logMetric(@Body() body: unknown) { return this.mlflow.forward(P.logMetric, R.LogMetric, withRunId(body)); }

  @Post('log-batch') @HttpCode(200)
  logBatch(@Body() body: unknown) { return this.mlflow.forward(P.logBatch, R.LogBatch, withRunId(body)); }

  @Post('log-model') @HttpCode(200)
  logModel(@Body() body: unknown) { return this.mlflow.forward(P.logModel, R.LogModel, withRunId(body)); }
}
