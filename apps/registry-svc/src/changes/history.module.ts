import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { HistoryController } from './history.controller';
import { HistoryRepository } from './history.repository';
import { HistoryService } from './history.service';

/** Cairn's audit trail of each registered model, read back newest first. */
@Module({})
export class HistoryModule {
  static register(store: DynamicModule): DynamicModule {
    return { module: HistoryModule, imports: [store], controllers: [HistoryController], providers: [HistoryService, HistoryRepository] };
  }
}
