import { Controller, Get, Param, Query } from '@nestjs/common';
import { RegistryPatterns } from '@cairn/contracts';
import { defineRequest, field } from '@cairn/mlflow-wire';
import { MlflowForwarder } from '../../mlflow/mlflow-forwarder';

const ModelHistory = defineRequest(
  { name: field.string(), max_results: field.int64().optional(), page_token: field.string().optional() },
  ['name'],
);

/**
 * Cairn's own API: a registered model's audit trail (stage transitions, alias moves, deletions,
 * description changes; who, when, from, to), newest first, paged with `page_token`.
 */
@Controller('api/cairn/v1/registry/models')
export class ModelHistoryController {
  constructor(private readonly mlflow: MlflowForwarder) {}

  @Get(':name/history')
  history(@Param('name') name: string, @Query() query: unknown) {
    const message = query !== null && typeof query === 'object' ? query : {};
    return this.mlflow.forwardQuery(RegistryPatterns.history.list, ModelHistory, { ...message, name });
  }
}
