import { Injectable } from '@nestjs/common';
import type { ModelHistoryRequest, ModelHistoryResponse } from '@cairn/contracts';
import { invalidParameter, notFound } from '@cairn/contracts';
import { validateMaxResults } from '../common/limits';
import { validateModelName } from '../common/names';
import { RegisteredModelsRepository } from '../registered-models/registered-models.repository';
import { HistoryRepository } from './history.repository';

const LIMITS = { fallback: 100, max: 1000 };

const encodeToken = (before: string) => Buffer.from(JSON.stringify({ before }), 'utf8').toString('base64url');

function decodeToken(token: string | undefined): string | undefined {
  if (!token) return undefined;
  try {
    const { before } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { before?: unknown };
    if (typeof before === 'string' && /^\d{1,18}$/.test(before)) return before;
  } catch {
    // fall through
  }
  throw invalidParameter('Invalid page token.');
}

/**
 * A registered model's audit trail, newest first. A live model's history follows it across
 * renames; once deleted, its history stays readable under the name it had.
 */
@Injectable()
export class HistoryService {
  constructor(
    private readonly models: RegisteredModelsRepository,
    private readonly history: HistoryRepository,
  ) {}

  async list(req: ModelHistoryRequest): Promise<ModelHistoryResponse> {
    const name = validateModelName(req.name);
    const limit = validateMaxResults(req.max_results, LIMITS);
    const before = decodeToken(req.page_token);
    const modelId = await this.models.idOf(name);
    const events = await this.history.page(modelId ? { modelId } : { name }, limit + 1, before);
    if (events.length === 0 && !modelId && !before) throw notFound(`Registered Model with name=${name} not found`);
    const page = events.slice(0, limit);
    return events.length > limit ? { events: page, next_page_token: encodeToken(page[page.length - 1]!.id) } : { events: page };
  }
}
