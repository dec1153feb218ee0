import { Controller } from '@nestjs/common';
import { MlflowForwarder, mlflowPaths } from '../mlflow-forwarder';

/** Dataset inputs and outputs of runs (log-inputs, runs/outputs) and experiments/search-datasets. */
@Controller(mlflowPaths('2.0', 'mlflow'))
export class DatasetsController {
  constructor(private readonly mlflow: MlflowForwarder) {}
}
