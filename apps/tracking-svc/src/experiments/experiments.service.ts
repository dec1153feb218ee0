import { Injectable } from '@nestjs/common';
import type {
  CreateExperimentRequest,
  CreateExperimentResponse,
  DeleteExperimentTagRequest,
  Experiment,
  LifecycleStage,
  SearchExperimentsRequest,
  SearchExperimentsResponse,
  SetExperimentTagRequest,
  UpdateExperimentRequest,
} from '@cairn/contracts';
import { alreadyExists, invalidParameter, invalidState, notFound } from '@cairn/contracts';
import type { Queryable } from '@cairn/nest-common';
import { isUniqueViolation, withTransaction } from '@cairn/nest-common';
import { ExperimentsRepository } from './experiments.repository';
import { ExperimentSearch } from './experiment-search';
import {
  parseExperimentId,
  validateArtifactLocation,
  validateExperimentName,
  validateExperimentTag,
  validateExperimentTags,
} from './experiment.rules';

const UNIQUE_NAME = 'uq_experiments_name';

@Injectable()
export class ExperimentsService {
  constructor(
    private readonly experiments: ExperimentsRepository,
    private readonly search: ExperimentSearch,
  ) {}

  async create(req: CreateExperimentRequest): Promise<CreateExperimentResponse> {
    const name = validateExperimentName(req.name);
    const artifactLocation = validateArtifactLocation(req.artifact_location);
    const tags = validateExperimentTags(req.tags);
    try {
      const id = await withTransaction(this.experiments.pool, (db) =>
        this.experiments.insert(db, { name, artifactLocation, tags, now: Date.now() }),
      );
      return { experiment_id: id };
    } catch (err) {
      if (isUniqueViolation(err, UNIQUE_NAME)) throw alreadyExists(`Experiment(name=${name}) already exists.`);
      throw err;
    }
  }

  async get(experimentId: string): Promise<Experiment> {
    const id = parseExperimentId(experimentId);
    const experiment = await this.experiments.findById(id);
    if (!experiment) throw notFound(`No Experiment with id=${experimentId} exists`);
    return experiment;
  }

  async getByName(name: string): Promise<Experiment> {
    const experiment = await this.experiments.findByName(name);
    if (!experiment) throw notFound(`Could not find experiment with name '${name}'`);
    return experiment;
  }

  searchExperiments(req: SearchExperimentsRequest): Promise<SearchExperimentsResponse> {
    return this.search.run(req);
  }

  async rename(req: UpdateExperimentRequest): Promise<void> {
    const name = validateExperimentName(req.new_name);
    try {
      await this.inTransaction(req.experiment_id, 'ALL', async (db, id, stage) => {
        if (stage !== 'active') throw invalidState('Cannot rename a non-active experiment.');
        await this.experiments.rename(db, id, name, Date.now());
      });
    } catch (err) {
      if (isUniqueViolation(err, UNIQUE_NAME)) throw alreadyExists(`Experiment(name=${name}) already exists.`);
      throw err;
    }
  }

  /** Soft delete; the experiment's runs are deleted with it. */
  delete(experimentId: string): Promise<void> {
    return this.inTransaction(experimentId, 'active', (db, id) => this.moveWithRuns(db, id, 'deleted'));
  }

  /** Restores the experiment and its runs. */
  restore(experimentId: string): Promise<void> {
    return this.inTransaction(experimentId, 'deleted', (db, id) => this.moveWithRuns(db, id, 'active'));
  }

  private async moveWithRuns(db: Queryable, id: string, stage: LifecycleStage): Promise<void> {
    const now = Date.now();
    await this.experiments.setLifecycleStage(db, id, stage, now);
    await this.experiments.setRunsLifecycleStage(db, id, stage, now);
  }

  setTag(req: SetExperimentTagRequest): Promise<void> {
    validateExperimentTag(req.key, req.value);
    return this.inTransaction(req.experiment_id, 'ALL', async (db, id, stage) => {
      assertActive(id, stage);
      await this.experiments.upsertTags(db, id, [{ key: req.key, value: req.value }]);
    });
  }

  deleteTag(req: DeleteExperimentTagRequest): Promise<void> {
    return this.inTransaction(req.experiment_id, 'ALL', async (db, id, stage) => {
      assertActive(id, stage);
      if (!(await this.experiments.deleteTag(db, id, req.key))) {
        throw notFound(`No tag with name: ${req.key} in experiment with id ${id}`);
      }
    });
  }

  /**
   * Locks the experiment row and runs `fn` in one transaction. `required` is the stage the
   * experiment must be in to be found at all (MLflow's view-type lookup), or ALL.
   */
  private inTransaction(
    experimentId: string,
    required: LifecycleStage | 'ALL',
    fn: (db: Queryable, id: string, stage: LifecycleStage) => Promise<void>,
  ): Promise<void> {
    const id = parseExperimentId(experimentId);
    return withTransaction(this.experiments.pool, async (db) => {
      const stage = await this.experiments.lockStage(db, id);
      if (!stage || (required !== 'ALL' && stage !== required)) throw notFound(`No Experiment with id=${experimentId} exists`);
      await fn(db, id, stage);
    });
  }
}

function assertActive(id: string, stage: LifecycleStage) {
  if (stage !== 'active') {
    throw invalidParameter(`The experiment ${id} must be in the 'active' state. Current state is ${stage}.`);
  }
}
