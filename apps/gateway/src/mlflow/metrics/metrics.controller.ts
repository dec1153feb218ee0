import { Controller } from '@nestjs/common';
import { MlflowForwarder, mlflowPaths } from '../mlflow-forwarder';

/** Metric history (reference §1.2, §1.6): get-history, get-history-bulk, get-history-bulk-interval. */
@Controller(mlflowPaths('2.0', 'mlflow/metrics'))
export class MetricsController {
  constructor(private readonly mlflow: MlflowForwarder) {}
}
