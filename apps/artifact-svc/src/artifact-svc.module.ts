import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import type { ArtifactServiceSettings, DatabaseConfig } from '@cairn/config';
import { DatabaseModule } from '@cairn/nest-common';
import { DataPlaneModule } from './data-plane/data-plane.module';
import { ArtifactsHealthController } from './health/artifacts-health.controller';
import { artifactsSchema } from './migrations';
import { ObjectsModule } from './objects/objects.module';

/**
 * Everything artifact-svc serves: the control plane on NATS (or in-process, all-in-one) and the
 * HTTP data plane for bytes, over the store the destination names (s3:// or file://).
 */
@Module({})
export class ArtifactServiceModule {
  static register(database: DatabaseConfig, artifacts: ArtifactServiceSettings): DynamicModule {
    const objects = ObjectsModule.register(artifacts.destination);
    return {
      module: ArtifactServiceModule,
      imports: [
        DatabaseModule.forSchema(artifactsSchema, database),
        objects,
        DataPlaneModule.register({ host: artifacts.dataPlaneHost, port: artifacts.dataPlanePort }, objects),
      ],
      controllers: [ArtifactsHealthController],
    };
  }
}
