import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import type { ArtifactDestination } from '@cairn/config';
import { ARTIFACT_STORE } from '../store/artifact-store';
import { createArtifactStore } from '../store/create-artifact-store';
import { ObjectsController } from './objects.controller';
import { ObjectsService } from './objects.service';

/** Artifact objects in the configured destination, and their NATS control plane. */
@Module({})
export class ObjectsModule {
  static register(destination: ArtifactDestination): DynamicModule {
    return {
      module: ObjectsModule,
      controllers: [ObjectsController],
      providers: [{ provide: ARTIFACT_STORE, useFactory: () => createArtifactStore(destination) }, ObjectsService],
      exports: [ObjectsService],
    };
  }
}
