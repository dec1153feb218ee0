import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import type { TransportChoice } from '@cairn/nest-common';
import { ServiceClient, transportProviders } from '@cairn/nest-common';
import { ExperimentsController } from './mlflow/experiments/experiments.controller';
import { MlflowForwarder } from './mlflow/mlflow-forwarder';
import { ReadinessService } from './system/readiness.service';
import { SystemController } from './system/system.controller';

export interface GatewayOptions {
  transport: TransportChoice;
  requestTimeoutMs: number;
}

/** The public HTTP surface: MLflow's REST API and the operational routes. No domain rules. */
@Module({})
export class GatewayModule {
  static register(options: GatewayOptions): DynamicModule {
    return {
      module: GatewayModule,
      controllers: [SystemController, ExperimentsController],
      providers: [...transportProviders(options.transport, options.requestTimeoutMs), ServiceClient, MlflowForwarder, ReadinessService],
    };
  }
}
