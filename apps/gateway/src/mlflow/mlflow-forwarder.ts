import { Injectable } from '@nestjs/common';
import type { z } from 'zod';
import type { RequestDefinition } from '@cairn/mlflow-wire';
import { fromQuery, parseRequest, toWireJson } from '@cairn/mlflow-wire';
import { ServiceClient } from '@cairn/nest-common';

/**
 * The gateway's whole job for a plain MLflow call: validate the message at the edge, send it to
 * the owning service's pattern, and shape the answer as MLflow's JSON.
 */
@Injectable()
export class MlflowForwarder {
  constructor(private readonly services: ServiceClient) {}

  async forward<S extends z.ZodRawShape>(pattern: string, def: RequestDefinition<S>, input: unknown, options: { timeoutMs?: number } = {}): Promise<unknown> {
    const request = parseRequest(def, input);
    return toWireJson(await this.services.call(pattern, request, options));
  }

  /** A GET whose answer the route writes as MLflow's JSON itself: the service's answer as it is. */
  askQuery<S extends z.ZodRawShape>(pattern: string, def: RequestDefinition<S>, query: unknown): Promise<unknown> {
    return this.services.call(pattern, parseRequest(def, fromQuery(def, query)));
  }

  /** A GET: the message comes from query parameters (repeated keys become lists). */
  forwardQuery<S extends z.ZodRawShape>(pattern: string, def: RequestDefinition<S>, query: unknown): Promise<unknown> {
    return this.forward(pattern, def, fromQuery(def, query));
  }
}

/** Every MLflow route is served under /api/<v> for clients and mirrored under /ajax-api/<v> for the UI. */
export const mlflowPaths = (version: '2.0' | '3.0', path: string) => [`api/${version}/${path}`, `ajax-api/${version}/${path}`];
