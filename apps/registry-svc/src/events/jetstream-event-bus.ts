import type { ConsumerMessages, JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { headers as natsHeaders } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import type { RegistryEvent } from '@cairn/contracts';
import { registryEventSubject } from '@cairn/contracts';
import type { EventBus } from './event-bus';
import { REGISTRY_EVENTS_STREAM, REGISTRY_EVENTS_SUBJECTS } from './event-bus';

const ACK_WAIT_MS = 10_000;
const PULL_EXPIRES_MS = 5_000;

/** Distributed: the stream `CAIRN_REGISTRY_EVENTS` on `registry.events.>`, deduplicated by event id. */
export class JetStreamEventBus implements EventBus {
  private readonly consumers: ConsumerMessages[] = [];

  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
  ) {}

  static async connect(natsUrl: string): Promise<JetStreamEventBus> {
    const nc = await connect({ servers: natsUrl.split(',').map((s) => s.trim()), name: 'registry-svc-events' });
    const jsm = await jetstreamManager(nc);
    const config = { name: REGISTRY_EVENTS_STREAM, subjects: [REGISTRY_EVENTS_SUBJECTS], duplicate_window: 2 * 60 * 1_000_000_000 };
    try {
      await jsm.streams.info(REGISTRY_EVENTS_STREAM);
      await jsm.streams.update(REGISTRY_EVENTS_STREAM, config);
    } catch {
      await jsm.streams.add(config).catch(async (err: unknown) => {
        // Another replica created it first.
        await jsm.streams.info(REGISTRY_EVENTS_STREAM).catch(() => Promise.reject(err));
      });
    }
    return new JetStreamEventBus(nc, jetstream(nc), jsm);
  }

  async publish(event: RegistryEvent): Promise<void> {
    const h = natsHeaders();
    h.set('Nats-Msg-Id', event.id);
    await this.js.publish(registryEventSubject(event.type), JSON.stringify(event), { msgID: event.id, headers: h });
  }

  async subscribe(durable: string, handler: (event: RegistryEvent) => Promise<void>): Promise<void> {
    // A handler only records the event (one INSERT), so a short ack_wait and short pulls: after a
    // replica dies, what JetStream had handed to its pending pulls is redelivered within seconds.
    const ackWait = ACK_WAIT_MS * 1_000_000;
    await this.jsm.consumers
      .add(REGISTRY_EVENTS_STREAM, {
        durable_name: durable,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        filter_subject: REGISTRY_EVENTS_SUBJECTS,
        ack_wait: ackWait,
        max_deliver: -1,
      })
      .catch(() => this.jsm.consumers.update(REGISTRY_EVENTS_STREAM, durable, { ack_wait: ackWait })); // exists already
    const consumer = await this.js.consumers.get(REGISTRY_EVENTS_STREAM, durable);
    const messages = await consumer.consume({ max_messages: 32, expires: PULL_EXPIRES_MS });
    this.consumers.push(messages);
    void (async () => {
      for await (const m of messages) {
        try {
          await handler(m.json<RegistryEvent>());
          m.ack();
        } catch {
          m.nak(Math.min(60_000, 1000 * 2 ** Math.min(6, m.info.deliveryCount - 1)));
        }
      }
    })();
  }

  async close(): Promise<void> {
    for (const c of this.consumers) await c.close()?.catch(() => undefined);
    await this.nc.drain().catch(() => undefined);
  }
}
