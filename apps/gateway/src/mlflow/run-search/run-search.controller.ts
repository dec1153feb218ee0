import { Controller } from '@nestjs/common';
import { MlflowForwarder, mlflowPaths } from '../mlflow-forwarder';

/** search-runs (reference §1.2, §2.2). */
@Controller(mlflowPaths('2.0', 'mlflow/runs'))
export class RunSearchController {
  constructor(private readonly mlflow: MlflowForwarder) {}
}
