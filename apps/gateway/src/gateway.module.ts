import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import type { TransportChoice } from '@cairn/nest-common';
import { ServiceClient, transportProviders } from '@cairn/nest-common';
import { ARTIFACT_CONTROLLERS, artifactProviders } from './mlflow/artifacts/artifacts.providers';
import { DatasetsController } from './mlflow/datasets/datasets.controller';
import { ExperimentsController } from './mlflow/experiments/experiments.controller';
import { LoggedModelsController } from './mlflow/logged-models/logged-models.controller';
import { MetricsController } from './mlflow/metrics/metrics.controller';
import { RunSearchController } from './mlflow/run-search/run-search.controller';
import { RunsController } from './mlflow/runs/runs.controller';
import { MlflowForwarder } from './mlflow/mlflow-forwarder';
import { ModelVersionsController } from './mlflow/registry/model-versions.controller';
import { RegisteredModelsController } from './mlflow/registry/registered-models.controller';
import { ModelHistoryController } from './cairn/registry/model-history.controller';
import { WebhookDeliveriesController } from './cairn/registry/webhook-deliveries.controller';
import { ProjectRunsController } from './cairn/runner/project-runs.controller';
import { WebhooksController } from './mlflow/webhooks/webhooks.controller';
import { ReadinessService } from './system/readiness.service';
import { SystemController } from './system/system.controller';

export interface GatewayOptions {
  transport: TransportChoice;
  requestTimeoutMs: number;
  /** artifact-svc's internal data plane (`http://host:port`), where artifact bytes are streamed. */
  artifactsUrl: string;
}

/** The public HTTP surface: MLflow's REST API and the operational routes. No domain rules. */
@Module({})
export class GatewayModule {
  static register(options: GatewayOptions): DynamicModule {
    return {
      module: GatewayModule,
      controllers: [
        SystemController,
        ExperimentsController,
        RunsController,
        RunSearchController,
        MetricsController,
        DatasetsController,
        LoggedModelsController,
        RegisteredModelsController,
        ModelVersionsController,
        ModelHistoryController,
        WebhookDeliveriesController,
        ProjectRunsController,
        WebhooksController,
        ...ARTIFACT_CONTROLLERS,
      ],
      providers: [
        ...transportProviders(options.transport, options.requestTimeoutMs),
        ServiceClient,
        MlflowForwarder,
        ReadinessService,
        ...artifactProviders(options.artifactsUrl),
      ],
    };
  }
}
