import { MessagePattern, Payload } from '@nestjs/microservices';
import type {
  CreateWebhookRequest,
  Empty,
  ListWebhookDeliveriesRequest,
  ListWebhookDeliveriesResponse,
  ListWebhooksRequest,
  ListWebhooksResponse,
  TestWebhookRequest,
  TestWebhookResponse,
  UpdateWebhookRequest,
  WebhookIdRequest,
  WebhookResponse,
} from '@cairn/contracts';
import { WebhookPatterns as P } from '@cairn/contracts';
import { RpcController } from '@cairn/nest-common';
import { WebhooksService } from './webhooks.service';

@RpcController()
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @MessagePattern(P.create)
  async create(@Payload() req: CreateWebhookRequest): Promise<WebhookResponse> {
    return { webhook: await this.webhooks.create(req) };
  }

  @MessagePattern(P.list)
  list(@Payload() req: ListWebhooksRequest): Promise<ListWebhooksResponse> {
    return this.webhooks.list(req);
  }

  @MessagePattern(P.get)
  async get(@Payload() req: WebhookIdRequest): Promise<WebhookResponse> {
    return { webhook: await this.webhooks.get(req.webhook_id) };
  }

  @MessagePattern(P.update)
  async update(@Payload() req: UpdateWebhookRequest): Promise<WebhookResponse> {
    return { webhook: await this.webhooks.update(req) };
  }

  @MessagePattern(P.delete)
  async delete(@Payload() req: WebhookIdRequest): Promise<Empty> {
    await this.webhooks.delete(req.webhook_id);
    return {};
  }

  @MessagePattern(P.test)
  test(@Payload() req: TestWebhookRequest): Promise<TestWebhookResponse> {
    return this.webhooks.test(req);
  }

  @MessagePattern(P.deliveries)
  deliveries(@Payload() req: ListWebhookDeliveriesRequest): Promise<ListWebhookDeliveriesResponse> {
    return this.webhooks.deliveries(req);
  }
}
