import { Injectable } from '@nestjs/common';
import { invalidParameter, notFound } from '@cairn/contracts';
import type { Queryable } from '@cairn/nest-common';
import { parseRunId } from '../common/run-id';
import type { RunHandle } from './runs.repository';
import { RunsRepository } from './runs.repository';

/** Finds a run by its client-facing id, with MLflow's errors for missing and deleted runs. */
@Injectable()
export class ActiveRun {
  constructor(private readonly runs: RunsRepository) {}

  async find(db: Queryable, runUuid: string): Promise<RunHandle> {
    const id = parseRunId(runUuid);
    const run = await this.runs.handle(db, id);
    if (!run) throw notFound(`Run with id=${id} not found`);
    return run;
  }

  /** Writes need an active run. */
  async require(db: Queryable, runUuid: string): Promise<RunHandle> {
    const run = await this.find(db, runUuid);
    if (run.lifecycleStage !== 'active') {
      throw invalidParameter(`The run ${runUuid} must be in the 'active' state. Current state is ${run.lifecycleStage}.`);
    }
    return run;
  }
}
