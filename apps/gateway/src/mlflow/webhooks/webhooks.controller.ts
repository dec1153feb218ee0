import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import { WebhookPatterns as P } from '@cairn/contracts';
import { defineRequest, field } from '@cairn/mlflow-wire';
import { ServiceClient } from '@cairn/nest-common';
import { MlflowForwarder, mlflowPaths } from '../mlflow-forwarder';
import { sendCommand } from '../registry/registry-calls';

// webhooks.proto (MLflow 3.3). The secret is accepted on create and update, never returned.
const event = z.object({ entity: z.string(), action: z.string() });
const CreateWebhook = defineRequest(
  {
    name: field.string(),
    description: field.string().optional(),
    url: field.string(),
    events: field.repeated(event),
    secret: field.string().optional(),
    status: field.string().optional(),
  },
  ['name', 'url', 'events'],
);
const UpdateWebhook = defineRequest(
  {
    webhook_id: field.string(),
    name: field.string().optional(),
    description: field.string().optional(),
    url: field.string().optional(),
    events: field.repeated(event).optional(),
    secret: field.string().optional(),
    status: field.string().optional(),
  },
  ['webhook_id'],
);
const WebhookId = defineRequest({ webhook_id: field.string() }, ['webhook_id']);
const ListWebhooks = defineRequest({ max_results: field.int64().optional(), page_token: field.string().optional() });
const TestWebhook = defineRequest({ webhook_id: field.string(), event: event.optional() }, ['webhook_id']);

const objectOf = (body: unknown) => (body !== null && typeof body === 'object' && !Array.isArray(body) ? body : {});

/** MLflow's webhooks API (reference §1.4), served by registry-svc. */
@Controller(mlflowPaths('2.0', 'mlflow/webhooks'))
export class WebhooksController {
  constructor(
    private readonly mlflow: MlflowForwarder,
    private readonly services: ServiceClient,
  ) {}

  @Post() @HttpCode(200)
  create(@Body() body: unknown, @Headers() h: IncomingHttpHeaders) { return sendCommand(this.services, P.create, CreateWebhook, body, h); }

  @Get()
  list(@Query() query: unknown) { return this.mlflow.forwardQuery(P.list, ListWebhooks, query); }

  @Get(':id')
  get(@Param('id') id: string) { return this.mlflow.forward(P.get, WebhookId, { webhook_id: id }); }

  @Patch(':id')
  update(@Param('id') id: string, @Body() body: unknown, @Headers() h: IncomingHttpHeaders) {
    return sendCommand(this.services, P.update, UpdateWebhook, { ...objectOf(body), webhook_id: id }, h);
  }

  @Delete(':id')
  delete(@Param('id') id: string, @Headers() h: IncomingHttpHeaders) { return sendCommand(this.services, P.delete, WebhookId, { webhook_id: id }, h); }

  @Post(':id/test') @HttpCode(200)
  test(@Param('id') id: string, @Body() body: unknown) { return this.mlflow.forward(P.test, TestWebhook, { ...objectOf(body), webhook_id: id }); }
}
