import type { RegistryEvent } from '@cairn/contracts';
import type { EventBus } from './event-bus';

/**
 * All-in-one: delivers to this process's subscribers before the outbox row is marked published,
 * so an event whose subscriber failed stays in the outbox and is offered again.
 */
export class InProcessEventBus implements EventBus {
  private readonly handlers = new Map<string, (event: RegistryEvent) => Promise<void>>();

  async publish(event: RegistryEvent): Promise<void> {
    for (const handler of this.handlers.values()) await handler(event);
  }

  async subscribe(durable: string, handler: (event: RegistryEvent) => Promise<void>): Promise<void> {
    this.handlers.set(durable, handler);
  }

  async close(): Promise<void> {
    this.handlers.clear();
  }
}
