import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { ArtifactServiceModule } from '@cairn/artifact-svc';
import type { DatabaseConfig } from '@cairn/config';
import { GatewayModule } from '@cairn/gateway';
import type { InProcessServer } from '@cairn/nest-common';
import { ProjectRunnerModule } from '@cairn/project-runner';
import { RegistryServiceModule } from '@cairn/registry-svc';
import { TrackingServiceModule } from '@cairn/tracking-svc';

/** Every service module in one process, the gateway reaching them through the in-process transport. */
@Module({})
export class AllInOneModule {
  static register(database: DatabaseConfig, transport: InProcessServer, requestTimeoutMs: number): DynamicModule {
    return {
      module: AllInOneModule,
      imports: [
        GatewayModule.register({ transport: { kind: 'in-process', server: transport }, requestTimeoutMs }),
        TrackingServiceModule.register(database),
        RegistryServiceModule.register(database),
        ArtifactServiceModule.register(database),
        ProjectRunnerModule.register(database),
      ],
    };
  }
}
