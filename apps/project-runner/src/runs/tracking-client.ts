import { CairnError, ErrorCode } from '@cairn/contracts';

export interface TrackingRun {
  info: { run_id: string; experiment_id: string; status: string; end_time?: number };
}

/**
 * The runner is an MLflow client, as `mlflow run` is: it creates and closes runs through the
 * tracking REST API at the same URI it hands to the processes it starts.
 */
export class TrackingClient {
  constructor(private readonly baseUrl: string) {}

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const url = `${this.baseUrl}/api/2.0/mlflow/${path}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (e) {
      throw new CairnError(ErrorCode.TEMPORARILY_UNAVAILABLE, `Tracking server ${this.baseUrl} is unreachable: ${(e as Error).message}`);
    }
    const text = await res.text();
    const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    if (!res.ok) {
      const code = typeof json.error_code === 'string' && json.error_code in ErrorCode ? (json.error_code as ErrorCode) : ErrorCode.INTERNAL_ERROR;
      throw new CairnError(code, String(json.message ?? `${method} ${path}: HTTP ${res.status}`));
    }
    return json as T;
  }

  /** MLflow's `_resolve_experiment_id`: by name (created when missing), else the id, else the default "0". */
  async resolveExperiment(name: string | undefined, id: string | undefined): Promise<string> {
    if (name) {
      try {
        const got = await this.call<{ experiment: { experiment_id: string } }>('GET', `experiments/get-by-name?experiment_name=${encodeURIComponent(name)}`);
        return got.experiment.experiment_id;
      } catch (e) {
        if (!(e instanceof CairnError) || e.code !== ErrorCode.RESOURCE_DOES_NOT_EXIST) throw e;
      }
      try {
        return (await this.call<{ experiment_id: string }>('POST', 'experiments/create', { name })).experiment_id;
      } catch (e) {
        // Another submission created it first.
        if (!(e instanceof CairnError) || e.code !== ErrorCode.RESOURCE_ALREADY_EXISTS) throw e;
        return this.resolveExperiment(name, undefined);
      }
    }
    if (id) {
      await this.call('GET', `experiments/get?experiment_id=${encodeURIComponent(id)}`);
      return id;
    }
    return '0';
  }

  async createRun(experimentId: string, tags: Record<string, string>, runName?: string): Promise<string> {
    const res = await this.call<TrackingRun & { run: TrackingRun }>('POST', 'runs/create', {
      experiment_id: experimentId,
      start_time: Date.now(),
      tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
      ...(runName && { run_name: runName }),
    });
    return res.run.info.run_id;
  }

  async logParams(runId: string, params: [string, string][]): Promise<void> {
    for (let i = 0; i < params.length; i += 100) {
      await this.call('POST', 'runs/log-batch', { run_id: runId, params: params.slice(i, i + 100).map(([key, value]) => ({ key, value })) });
    }
  }

  async setTag(runId: string, key: string, value: string): Promise<void> {
    await this.call('POST', 'runs/set-tag', { run_id: runId, key, value });
  }

  async getRun(runId: string): Promise<TrackingRun> {
    return (await this.call<{ run: TrackingRun }>('GET', `runs/get?run_id=${runId}`)).run;
  }

  /** MLflow's `_maybe_set_run_terminated`: close the run unless the script already did. */
  async terminateIfRunning(runId: string, status: 'FINISHED' | 'FAILED' | 'KILLED'): Promise<void> {
    const run = await this.getRun(runId);
    if (!['RUNNING', 'SCHEDULED'].includes(run.info.status)) return;
    await this.call('POST', 'runs/update', { run_id: runId, status, end_time: Date.now() });
  }

  async setStatus(runId: string, status: 'RUNNING' | 'SCHEDULED'): Promise<void> {
    await this.call('POST', 'runs/update', { run_id: runId, status });
  }
}
