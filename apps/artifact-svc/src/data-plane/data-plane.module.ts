import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import type { DataPlaneAddress } from './data-plane.server';
import { DATA_PLANE_ADDRESS, DataPlaneServer } from './data-plane.server';

/** The HTTP data plane over the objects module's service. */
@Module({})
export class DataPlaneModule {
  static register(address: DataPlaneAddress, objects: DynamicModule): DynamicModule {
    return {
      module: DataPlaneModule,
      imports: [objects],
      providers: [{ provide: DATA_PLANE_ADDRESS, useValue: address }, DataPlaneServer],
      exports: [DataPlaneServer],
    };
  }
}
