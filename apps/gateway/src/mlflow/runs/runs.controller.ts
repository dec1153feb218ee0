import { Controller } from '@nestjs/common';
import { MlflowForwarder, mlflowPaths } from '../mlflow-forwarder';

/** MLflow's runs API (reference §1.2): create, get, update, delete, restore, tags, params, metrics, log-batch, log-model. */
@Controller(mlflowPaths('2.0', 'mlflow/runs'))
export class RunsController {
  constructor(private readonly mlflow: MlflowForwarder) {}
}
