import type { CustomTransportStrategy, ReadPacket, WritePacket } from '@nestjs/microservices';
import { BaseRpcContext, ClientProxy, NatsRecord, Server } from '@nestjs/microservices';
import { isPlainSubject } from './subject-route';
import { SerializedReply } from './wire-reply';

interface HeaderBag {
  get(name: string): string | undefined;
}

/** Same shape as NatsContext, so handlers and interceptors read headers the same way. */
export class InProcessContext extends BaseRpcContext<[string, HeaderBag | undefined]> {
  getSubject(): string {
    return this.args[0];
  }
  getHeaders(): HeaderBag | undefined {
    return this.args[1];
  }
}

const NO_HANDLER = 'There is no matching message handler defined in the remote service.';

/** JSON round trip: in-process messages see exactly what they would after NATS serialization. */
const throughWire = <T>(value: T): T => (value === undefined ? value : JSON.parse(JSON.stringify(value)));

/** A reply as its caller reads it off NATS: one the service serialized is parsed (transport/wire-reply.ts). */
const replyThroughWire = (reply: WritePacket): WritePacket =>
  reply.response instanceof SerializedReply ? { ...reply, response: JSON.parse(reply.response.json) } : throughWire(reply);

/**
 * The all-in-one transport. Services register their @MessagePattern handlers on the server; the
 * gateway's client hands requests to it in the same process. Payloads are JSON-copied so both
 * modes behave alike (no shared object references, no Dates, no undefined fields).
 */
export class InProcessServer extends Server implements CustomTransportStrategy {
  listen(callback: () => void): void {
    callback();
  }
  close(): void {
    // nothing to release: handlers live as long as the Nest application
  }
  on(): void {
    // no transport-level events in one process
  }
  unwrap<T>(): T {
    throw new Error('The in-process transport has no underlying client.');
  }

  protected override getRouteFromPattern(pattern: string): string {
    return isPlainSubject(pattern) ? pattern : super.getRouteFromPattern(pattern);
  }

  dispatch(pattern: string, data: unknown, headers: HeaderBag | undefined, respond: (packet: WritePacket) => void) {
    const handler = this.getHandlerByPattern(pattern);
    if (!handler) {
      respond({ err: NO_HANDLER, isDisposed: true });
      return;
    }
    const context = new InProcessContext([pattern, headers]);
    this.handleRequest(context, async () => this.transformToObservable(await handler(data, context)), respond);
  }
}

export class InProcessClient extends ClientProxy {
  constructor(private readonly server: InProcessServer) {
    super();
  }
  async connect(): Promise<void> {
    // always connected: the server is in this process
  }
  close(): void {
    // nothing to release
  }
  unwrap<T>(): T {
    throw new Error('The in-process transport has no underlying client.');
  }

  protected publish(packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    const record = packet.data instanceof NatsRecord ? packet.data : undefined;
    const data = throughWire(record ? record.data : packet.data);
    const pattern = this.normalizePattern(packet.pattern);
    let cancelled = false;
    setImmediate(() =>
      this.server.dispatch(pattern, data, record?.headers as HeaderBag | undefined, (reply) => {
        if (!cancelled) callback(replyThroughWire(reply));
      }),
    );
    return () => {
      cancelled = true;
    };
  }

  protected async dispatchEvent<T = unknown>(packet: ReadPacket): Promise<T> {
    this.server.dispatch(this.normalizePattern(packet.pattern), throughWire(packet.data), undefined, () => undefined);
    return undefined as T;
  }
}
