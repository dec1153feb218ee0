import { Controller } from '@nestjs/common';
import { MlflowForwarder, mlflowPaths } from '../mlflow-forwarder';

/** MLflow 3 logged models (reference §1.3). */
@Controller(mlflowPaths('2.0', 'mlflow/logged-models'))
export class LoggedModelsController {
  constructor(private readonly mlflow: MlflowForwarder) {}
}
