import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { CreateRunRequest, DeleteRunTagRequest, Run, RunTag, SetRunTagRequest, UpdateRunRequest, UpdateRunResponse } from '@cairn/contracts';
import { invalidParameter, notFound } from '@cairn/contracts';
import { withTransaction } from '@cairn/nest-common';
import { parseExperimentId } from '../experiments/experiment.rules';
import { parseRunId } from '../common/run-id';
import { ActiveRun } from './active-run';
import { randomRunName } from './run-names';
import { RUN_NAME_TAG, validateTag } from './run.rules';
import { RunReader } from './run-reader';
import { RunsRepository } from './runs.repository';

const MAX_RUN_NAME_LENGTH = 250;

/** The run lifecycle: create, read, update, soft delete and restore, tags. */
@Injectable()
export class RunsService {
  constructor(
    private readonly runs: RunsRepository,
    private readonly reader: RunReader,
    private readonly active: ActiveRun,
  ) {}

  async create(req: CreateRunRequest): Promise<Run> {
    const experimentId = parseExperimentId(req.experiment_id ?? '0');
    const tags = (req.tags ?? []).map(validateTag);
    const name = resolveRunName(req.run_name, tags);
    const withName = [...tags.filter((t) => t.key !== RUN_NAME_TAG), { key: RUN_NAME_TAG, value: name }];
    const runUuid = randomUUID().replaceAll('-', '');
    const startTime = req.start_time ?? Date.now();
    const created = await this.runs.insert({ runUuid, experimentId, name, userId: req.user_id, startTime, tags: withName });
    if (!created.experimentStage) throw notFound(`No Experiment with id=${experimentId} exists`);
    if (!created.runId) {
      throw invalidParameter(`The experiment ${experimentId} must be in the 'active' state. Current state is ${created.experimentStage}.`);
    }
    return {
      info: {
        run_id: runUuid,
        run_uuid: runUuid,
        run_name: name,
        experiment_id: experimentId,
        user_id: req.user_id,
        status: 'RUNNING',
        start_time: startTime,
        artifact_uri: created.artifactUri!,
        lifecycle_stage: 'active',
      },
      data: { metrics: [], params: [], tags: withName.sort((a, b) => (a.key < b.key ? -1 : 1)) },
      inputs: { dataset_inputs: [], model_inputs: [] },
      outputs: { model_outputs: [] },
    };
  }

  async get(runUuid: string): Promise<Run> {
    const run = await this.reader.byUuid(parseRunId(runUuid));
    if (!run) throw notFound(`Run with id=${runUuid} not found`);
    return run;
  }

  async update(req: UpdateRunRequest): Promise<UpdateRunResponse> {
    if (req.run_name !== undefined && req.run_name.length > MAX_RUN_NAME_LENGTH) {
      throw invalidParameter(`Run name '${req.run_name.slice(0, 250)}' had length ${req.run_name.length}, which exceeded length limit of ${MAX_RUN_NAME_LENGTH}`);
    }
    await withTransaction(this.runs.pool, async (db) => {
      const run = await this.active.require(db, req.run_id);
      const name = req.run_name || undefined;
      await this.runs.update(db, run.runId, { status: req.status, endTime: req.end_time, name });
      if (name) await this.runs.upsertTags(db, run.runId, [{ key: RUN_NAME_TAG, value: name }]);
    });
    return { run_info: (await this.get(req.run_id)).info };
  }

  delete(runUuid: string): Promise<void> {
    return this.setStage(runUuid, 'deleted');
  }

  restore(runUuid: string): Promise<void> {
    return this.setStage(runUuid, 'active');
  }

  async setTag(req: SetRunTagRequest): Promise<void> {
    const tag = validateTag({ key: req.key, value: req.value });
    await withTransaction(this.runs.pool, async (db) => {
      const run = await this.active.require(db, req.run_id);
      await this.runs.upsertTags(db, run.runId, [tag]);
      if (tag.key === RUN_NAME_TAG) await this.runs.update(db, run.runId, { name: tag.value.slice(0, MAX_RUN_NAME_LENGTH) });
    });
  }

  async deleteTag(req: DeleteRunTagRequest): Promise<void> {
    await withTransaction(this.runs.pool, async (db) => {
      const run = await this.active.require(db, req.run_id);
      if (!(await this.runs.deleteTag(db, run.runId, req.key))) {
        throw notFound(`No tag with name: ${req.key} in run with id ${req.run_id}`);
      }
    });
  }

  private async setStage(runUuid: string, stage: 'active' | 'deleted'): Promise<void> {
    await withTransaction(this.runs.pool, async (db) => {
      const run = await this.active.find(db, runUuid);
      await this.runs.setLifecycleStage(db, run.runId, stage, Date.now());
    });
  }
}

/** MLflow: run_name and the mlflow.runName tag must agree; with neither, a random name. */
function resolveRunName(runName: string | undefined, tags: readonly RunTag[]): string {
  const tagName = tags.find((t) => t.key === RUN_NAME_TAG)?.value;
  if (runName && tagName !== undefined && runName !== tagName) {
    throw invalidParameter(
      `Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='${runName}', mlflow.runName='${tagName}').`,
    );
  }
  const name = runName || tagName || randomRunName();
  if (name.length > MAX_RUN_NAME_LENGTH) {
    throw invalidParameter(`Run name '${name.slice(0, 250)}' had length ${name.length}, which exceeded length limit of ${MAX_RUN_NAME_LENGTH}`);
  }
  return name;
}
