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
    return found(id, await this.runs.handle(db, id));
  }

  /** Writes need an active run. */
  async require(db: Queryable, runUuid: string): Promise<RunHandle> {
    return active(runUuid, await this.find(db, runUuid));
  }

  /** The same errors for a run a write looked up itself (`run`: as it found it, if at all). */
  check(runUuid: string, run: RunHandle | undefined): RunHandle {
    return active(runUuid, found(parseRunId(runUuid), run));
  }
}

function found(id: string, run: RunHandle | undefined): RunHandle {
  if (!run) throw notFound(`Run with id=${id} not found`);
  return run;
}

function active(runUuid: string, run: RunHandle): RunHandle {
  if (run.lifecycleStage !== 'active') {
    throw invalidParameter(`The run ${runUuid} must be in the 'active' state. Current state is ${run.lifecycleStage}.`);
  }
  return run;
}
