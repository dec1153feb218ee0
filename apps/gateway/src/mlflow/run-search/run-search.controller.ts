import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { TrackingPatterns } from '@cairn/contracts';
import { MlflowForwarder, mlflowPaths } from '../mlflow-forwarder';
import * as R from './run-search.requests';

const P = TrackingPatterns.runs;

/** search-runs (reference §1.2, §2.2). The Python client POSTs; GET takes the same fields as query parameters. */
@Controller(mlflowPaths('2.0', 'mlflow/runs'))
export class RunSearchController {
  constructor(private readonly mlflow: MlflowForwarder) {}

  @Post('search') @HttpCode(200)
  search(@Body() body: unknown) { return this.mlflow.forward(P.search, R.SearchRuns, body); }

  @Get('search')
  searchByQuery(@Query() query: unknown) { return this.mlflow.forwardQuery(P.search, R.SearchRuns, query); }
}
