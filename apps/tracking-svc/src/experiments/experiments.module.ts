import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { ExperimentsController } from './experiments.controller';
import { ExperimentsRepository } from './experiments.repository';
import { ExperimentSearch } from './experiment-search';
import { ExperimentsService } from './experiments.service';

@Module({})
export class ExperimentsModule {
  static register(database: DynamicModule): DynamicModule {
    return {
      module: ExperimentsModule,
      imports: [database],
      controllers: [ExperimentsController],
      providers: [ExperimentsService, ExperimentsRepository, ExperimentSearch],
    };
  }
}
