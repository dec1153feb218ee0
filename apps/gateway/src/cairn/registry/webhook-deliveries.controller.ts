import { Controller, Get, Param, Query } from '@nestjs/common';
import { WebhookPatterns } from '@cairn/contracts';
import { defineRequest, field } from '@cairn/mlflow-wire';
import { MlflowForwarder } from '../../mlflow/mlflow-forwarder';

const WebhookDeliveries = defineRequest(
  { webhook_id: field.string(), max_results: field.int64().optional(), page_token: field.string().optional() },
  ['webhook_id'],
);

/**
 * Cairn's own API: a webhook's delivery log (beyond MLflow), newest first, each delivery with
 * every attempt (when, how long, the receiver's status or the error), paged with `page_token`.
 */
@Controller('api/cairn/v1/registry/webhooks')
export class WebhookDeliveriesController {
  constructor(private readonly mlflow: MlflowForwarder) {}

  @Get(':id/deliveries')
  deliveries(@Param('id') id: string, @Query() query: unknown) {
    const message = query !== null && typeof query === 'object' ? query : {};
    return this.mlflow.forwardQuery(WebhookPatterns.deliveries, WebhookDeliveries, { ...message, webhook_id: id });
  }
}
