import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { TrackingPatterns } from '@cairn/contracts';
import { MlflowForwarder, mlflowPaths } from '../mlflow-forwarder';
import * as R from './dataset.requests';

const P = TrackingPatterns;

/** Dataset inputs and outputs of runs (log-inputs, runs/outputs) and experiments/search-datasets. */
@Controller(mlflowPaths('2.0', 'mlflow'))
export class DatasetsController {
  constructor(private readonly mlflow: MlflowForwarder) {}

  @Post('runs/log-inputs') @HttpCode(200)
  logInputs(@Body() body: unknown) { return this.mlflow.forward(P.runs.logInputs, R.LogInputs, body); }

  @Post('runs/outputs') @HttpCode(200)
  logOutputs(@Body() body: unknown) { return this.mlflow.forward(P.runs.logOutputs, R.LogOutputs, body); }

  @Post('experiments/search-datasets') @HttpCode(200)
  searchDatasets(@Body() body: unknown) { return this.mlflow.forward(P.datasets.search, R.SearchDatasets, body); }
}
