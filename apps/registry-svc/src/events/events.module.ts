import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import type { EventTransport } from './event-bus';
import { EVENT_BUS } from './event-bus';
import { InProcessEventBus } from './in-process-event-bus';
import { JetStreamEventBus } from './jetstream-event-bus';
import { OutboxRelay } from './outbox-relay';

/** The event bus chosen by transport, and the outbox relay feeding it. */
@Module({})
export class RegistryEventsModule {
  static register(database: DynamicModule, transport: EventTransport = { kind: 'in-process' }): DynamicModule {
    const bus = {
      provide: EVENT_BUS,
      useFactory: () => (transport.kind === 'jetstream' ? JetStreamEventBus.connect(transport.natsUrl) : new InProcessEventBus()),
    };
    return { module: RegistryEventsModule, imports: [database], providers: [bus, OutboxRelay], exports: [EVENT_BUS, OutboxRelay] };
  }
}
