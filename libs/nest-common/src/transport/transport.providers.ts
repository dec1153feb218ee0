import type { Provider } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { ClientProxyFactory, Transport } from '@nestjs/microservices';
import { SERVICE_CALL_TIMEOUT_MS, TRANSPORT_CLIENT } from './service-client';
import { InProcessClient, InProcessServer } from './in-process.transport';

/** How the gateway reaches the services. */
export type TransportChoice = { kind: 'nats'; natsUrl: string } | { kind: 'in-process'; server: InProcessServer };

export function transportProviders(choice: TransportChoice, timeoutMs: number): Provider[] {
  return [
    { provide: SERVICE_CALL_TIMEOUT_MS, useValue: timeoutMs },
    {
      provide: TRANSPORT_CLIENT,
      useFactory: async (): Promise<ClientProxy> => {
        const client =
          choice.kind === 'nats'
            ? ClientProxyFactory.create({ transport: Transport.NATS, options: natsOptions(choice.natsUrl, 'cairn-gateway') })
            : new InProcessClient(choice.server);
        await client.connect();
        return client;
      },
    },
  ];
}

/** NATS connection options shared by the gateway and the services. */
export function natsOptions(natsUrl: string, name: string) {
  return {
    servers: natsUrl.split(',').map((s) => s.trim()),
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1000,
  };
}
