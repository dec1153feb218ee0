import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ObjectsService } from '../objects/objects.service';
import { DataPlaneHandler } from './data-plane.handler';

export const DATA_PLANE_ADDRESS = Symbol('DATA_PLANE_ADDRESS');

export interface DataPlaneAddress {
  host: string;
  /** 0 picks a free port; `url()` tells which. */
  port: number;
}

/** Transfers in flight get this long to finish when the service stops. */
const SHUTDOWN_GRACE_MS = 2000;

/**
 * artifact-svc's internal HTTP server for bytes (the gateway is its only client). It listens
 * once the Nest application has booted and stops, after in-flight transfers, on shutdown.
 */
@Injectable()
export class DataPlaneServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('DataPlane');
  private server?: Server;

  constructor(
    @Inject(DATA_PLANE_ADDRESS) private readonly address: DataPlaneAddress,
    private readonly objects: ObjectsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // No whole-request deadline: a multi-GiB upload may take longer than Node's default 5 minutes.
    const server = createServer({ requestTimeout: 0, headersTimeout: 30_000 }, new DataPlaneHandler(this.objects).listener);
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.address.port, this.address.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.logger.log(`artifact data plane listening on ${this.url()}`);
  }

  /** The base URL the gateway reaches this data plane at, e.g. http://127.0.0.1:5001. */
  url(): string {
    const bound = this.server?.address() as AddressInfo | null | undefined;
    const host = bound?.address ?? this.address.host;
    return `http://${host.includes(':') ? `[${host}]` : host}:${bound?.port ?? this.address.port}`;
  }

  async beforeApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const deadline = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
    await closed;
    clearTimeout(deadline);
  }
}
