import type {
  ListProjectRunsResponse,
  ProjectRun,
  ProjectRunLogsResponse,
  ProjectRunResponse,
  SubmitProjectRunRequest,
} from '@cairn/contracts';

/** An error the server answered with (MLflow's envelope), or the server being unreachable. */
export class CairnApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** The project-runs REST API, as the CLI and CI pipelines use it. */
export class CairnClient {
  constructor(readonly baseUrl: string) {}

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}/api/cairn/v1/${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(600_000),
      });
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
      throw new CairnApiError(`Cannot reach Cairn at ${this.baseUrl} (${cause}). Is the server running? Set MLFLOW_TRACKING_URI or --tracking-uri.`, 0);
    }
    const text = await res.text();
    let json: Record<string, unknown> = {};
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      /* not JSON: reported below */
    }
    if (!res.ok) {
      throw new CairnApiError(String(json.message ?? `HTTP ${res.status}: ${text.slice(0, 200)}`), res.status, json.error_code as string | undefined);
    }
    return json as T;
  }

  async submit(req: SubmitProjectRunRequest): Promise<ProjectRun> {
    return (await this.call<ProjectRunResponse>('POST', 'project-runs', req)).project_run;
  }

  async get(runId: string): Promise<ProjectRun> {
    return (await this.call<ProjectRunResponse>('GET', `project-runs/${encodeURIComponent(runId)}`)).project_run;
  }

  list(maxResults = 50): Promise<ListProjectRunsResponse> {
    return this.call<ListProjectRunsResponse>('GET', `project-runs?max_results=${maxResults}`);
  }

  logs(runId: string, offset: number): Promise<ProjectRunLogsResponse> {
    return this.call<ProjectRunLogsResponse>('GET', `project-runs/${encodeURIComponent(runId)}/logs?offset=${offset}`);
  }

  async cancel(runId: string): Promise<ProjectRun> {
    return (await this.call<ProjectRunResponse>('POST', `project-runs/${encodeURIComponent(runId)}/cancel`)).project_run;
  }
}
