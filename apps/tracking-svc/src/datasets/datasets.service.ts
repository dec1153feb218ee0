import { Injectable } from '@nestjs/common';
import type { LogInputsRequest, LogOutputsRequest, SearchDatasetsRequest, SearchDatasetsResponse } from '@cairn/contracts';
import { invalidParameter, notFound } from '@cairn/contracts';
import type { Queryable } from '@cairn/nest-common';
import { withTransaction } from '@cairn/nest-common';
import { parseRunId } from '../common/run-id';
import { parseSearchExperimentIds } from '../logged-models/experiment-ids';
import { distinctModelIds, distinctModelOutputs, validateDatasetInputs } from './dataset.rules';
import type { RunRef } from './datasets.repository';
import { DatasetsRepository } from './datasets.repository';

const MAX_EXPERIMENT_IDS_PER_SEARCH = 20;

/** What runs consume and produce: datasets and logged models in, logged models out. */
@Injectable()
export class DatasetsService {
  constructor(private readonly datasets: DatasetsRepository) {}

  logInputs(req: LogInputsRequest): Promise<void> {
    const runUuid = parseRunId(req.run_id);
    const inputs = validateDatasetInputs(req.datasets ?? []);
    const modelIds = distinctModelIds(req.models ?? []);
    return this.onActiveRun(runUuid, async (db, run) => {
      await this.requireModels(db, modelIds);
      const datasetIds = await this.datasets.upsertDatasets(db, run.experimentId, inputs.map((i) => i.dataset));
      await this.datasets.insertRunInputs(db, run.runId, datasetIds, inputs.map((i) => i.tags));
      await this.datasets.insertModelInputs(db, run.runId, modelIds);
    });
  }

  logOutputs(req: LogOutputsRequest): Promise<void> {
    const runUuid = parseRunId(req.run_id);
    const outputs = distinctModelOutputs(req.models ?? []);
    return this.onActiveRun(runUuid, async (db, run) => {
      await this.requireModels(db, outputs.map((o) => o.model_id));
      await this.datasets.insertModelOutputs(db, run.runId, outputs);
    });
  }

  async searchDatasets(req: SearchDatasetsRequest): Promise<SearchDatasetsResponse> {
    const ids = req.experiment_ids ?? [];
    if (ids.length === 0) throw invalidParameter('SearchDatasets request must specify at least one experiment_id.');
    if (ids.length > MAX_EXPERIMENT_IDS_PER_SEARCH) {
      throw invalidParameter(
        `SearchDatasets request cannot specify more than ${MAX_EXPERIMENT_IDS_PER_SEARCH} experiment_ids. ` +
          `Received ${ids.length} experiment_ids.`,
      );
    }
    return { dataset_summaries: await this.datasets.summaries(parseSearchExperimentIds(ids)) };
  }

  private onActiveRun(runUuid: string, fn: (db: Queryable, run: RunRef) => Promise<void>): Promise<void> {
    return withTransaction(this.datasets.pool, async (db) => {
      const run = await this.datasets.lockRun(db, runUuid);
      if (!run) throw notFound(`Run with id=${runUuid} not found`);
      if (run.stage !== 'active') {
        throw invalidParameter(`The run ${runUuid} must be in the 'active' state. Current state is ${run.stage}.`);
      }
      await fn(db, run);
    });
  }

  private async requireModels(db: Queryable, modelIds: readonly string[]): Promise<void> {
    const existing = await this.datasets.existingModelIds(db, modelIds);
    const missing = modelIds.find((id) => !existing.has(id));
    if (missing !== undefined) throw notFound(`Logged model with ID '${missing}' not found.`);
  }
}
