import type { RegistryEvent } from '@cairn/contracts';

/** Where registry events go after commit: JetStream (distributed) or this process (all-in-one). */
export interface EventBus {
  /** Resolves once the event is durably accepted (JetStream) or every local subscriber handled it. */
  publish(event: RegistryEvent): Promise<void>;
  /**
   * A durable subscription to every registry event: at least once, so `handler` must be
   * idempotent; a handler that throws gets the event again later.
   */
  subscribe(durable: string, handler: (event: RegistryEvent) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

export const EVENT_BUS = Symbol('EVENT_BUS');

/** `RegistryServiceModule.register(config, { events })`: in-process unless a NATS URL is given. */
export type EventTransport = { kind: 'in-process' } | { kind: 'jetstream'; natsUrl: string };

export const REGISTRY_EVENTS_STREAM = 'CAIRN_REGISTRY_EVENTS';
export const REGISTRY_EVENTS_SUBJECTS = 'registry.events.>';
