import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { ArtifactServiceModule } from '@cairn/artifact-svc';
import type { ArtifactDestination, DatabaseConfig, RunnerSettings, WebhooksConfig } from '@cairn/config';
import { GatewayModule } from '@cairn/gateway';
import type { InProcessServer } from '@cairn/nest-common';
import { ProjectRunnerModule } from '@cairn/project-runner';
import { RegistryServiceModule } from '@cairn/registry-svc';
import { TrackingServiceModule } from '@cairn/tracking-svc';

export interface AllInOneArtifacts {
  destination: ArtifactDestination;
  /** Loopback port of artifact-svc's data plane, which only the gateway in this process reaches. */
  dataPlanePort: number;
}

/**
 * Every service module in one process, the gateway reaching them through the in-process
 * transport; artifact bytes go over artifact-svc's data plane on a loopback port.
 */
@Module({})
export class AllInOneModule {
  static register(
    database: DatabaseConfig,
    transport: InProcessServer,
    requestTimeoutMs: number,
    artifacts: AllInOneArtifacts,
    webhooks: WebhooksConfig,
    runner: RunnerSettings,
  ): DynamicModule {
    const dataPlaneHost = '127.0.0.1';
    return {
      module: AllInOneModule,
      imports: [
        GatewayModule.register({
          transport: { kind: 'in-process', server: transport },
          requestTimeoutMs,
          artifactsUrl: `http://${dataPlaneHost}:${artifacts.dataPlanePort}`,
        }),
        TrackingServiceModule.register(database),
        RegistryServiceModule.register(database, { webhooks }),
        ArtifactServiceModule.register(database, { destination: artifacts.destination, dataPlaneHost, dataPlanePort: artifacts.dataPlanePort }),
        ProjectRunnerModule.register(database, runner),
      ],
    };
  }
}
