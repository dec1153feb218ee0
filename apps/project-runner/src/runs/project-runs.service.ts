import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { appendFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type {
  ListProjectRunsRequest,
  ListProjectRunsResponse,
  ProjectRun,
  ProjectRunLogsResponse,
  ProjectRunStatus,
  SubmitProjectRunRequest,
} from '@cairn/contracts';
import { invalidParameter, notFound, TERMINAL_PROJECT_RUN_STATUSES } from '@cairn/contracts';
import type { RunnerSettings } from '@cairn/config';
import type { PythonEnv } from '@cairn/mlproject';
import { runEnvVars } from '@cairn/mlproject';
import type { BackendHandle, LaunchSpec, ProjectBackend, RunOutcome } from '../backends/backend';
import { readLogFile } from '../backends/local/local.backend';
import { ensureVirtualenv } from '../environments/virtualenv';
import { PROJECT_BACKENDS, RUNNER_SETTINGS } from '../runner.tokens';
import type { NewProjectRun, ProjectRunRecord } from './project-runs.repository';
import { ProjectRunsRepository, toProjectRun } from './project-runs.repository';
import type { SubmissionPlan } from './submission-planner';
import { planSubmission } from './submission-planner';
import { TrackingClient } from './tracking-client';

/** What is stored per run to start it later (a queued sweep child) or again (after a restart). */
export interface PlannedLaunch extends LaunchSpec {
  pythonEnv?: PythonEnv;
  envManager: 'local' | 'virtualenv';
  /** The submission's clone, removed when its last run ends. */
  workDir: string;
}

const MAX_ATTEMPTS = 3;
const isTerminal = (s: ProjectRunStatus) => TERMINAL_PROJECT_RUN_STATUSES.includes(s);

/**
 * The runner's decisions: plan a submission, create its tracking runs, start them on their backend
 * (a sweep at most `max_parallel` at a time), follow them to the end, close the tracking run with
 * the truthful status, cancel on request, and on boot re-attach to whatever was still running.
 */
@Injectable()
export class ProjectRunsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ProjectRuns');
  private readonly tracking: TrackingClient;
  private readonly following = new Map<string, AbortController>();
  private pumping: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly repo: ProjectRunsRepository,
    @Inject(RUNNER_SETTINGS) private readonly settings: RunnerSettings,
    @Inject(PROJECT_BACKENDS) private readonly backends: Map<string, ProjectBackend>,
  ) {
    this.tracking = new TrackingClient(settings.trackingUri);
  }

  async onApplicationBootstrap(): Promise<void> {
    await mkdir(this.logDir, { recursive: true });
    for (const run of await this.repo.active()) {
      if (run.status !== 'RUNNING' || run.command === null) continue; // queued ones and sweep parents wait for pump()
      if (run.handle) {
        this.logger.log(`re-attaching to ${run.runId} (${run.backend})`);
        this.follow(run, run.handle);
      } else {
        // It died between claim and launch (e.g. while building its environment): try again.
        if (run.attempts < MAX_ATTEMPTS) await this.repo.requeue(run.runId);
        else await this.complete(run, { status: 'FAILED', message: `The runner stopped before the run started, ${run.attempts} times.` });
      }
    }
    this.pump();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    for (const c of this.following.values()) c.abort();
  }

  private get logDir() {
    return path.join(this.settings.stateDir, 'logs');
  }

  private logPath(runId: string) {
    return path.join(this.logDir, `${runId}.log`);
  }

  private backend(name: string): ProjectBackend {
    const b = this.backends.get(name);
    if (!b) throw invalidParameter(`The ${name} backend is not available on this runner.`);
    return b;
  }

  // ---- submit ---------------------------------------------------------------------------------

  async submit(req: SubmitProjectRunRequest): Promise<ProjectRun> {
    this.backend(req.backend ?? 'local');
    const experimentId = await this.tracking.resolveExperiment(req.experiment_name, req.experiment_id);
    const submissionId = randomUUID();
    const workDir = path.join(this.settings.stateDir, 'projects', submissionId);
    let plan: SubmissionPlan;
    try {
      plan = await planSubmission(req, this.settings, workDir);
    } catch (e) {
      await rm(workDir, { recursive: true, force: true }).catch(() => undefined);
      throw e;
    }
    const rows: NewProjectRun[] = [];
    let parentRunId: string | null = null;
    if (plan.sweep) {
      parentRunId = await this.tracking.createRun(experimentId, { ...plan.tags, 'cairn.sweep.size': String(plan.runs.length) }, req.run_name);
      if (req.parameters && Object.keys(req.parameters).length > 0) {
        await this.tracking.logParams(parentRunId, Object.entries(req.parameters));
      }
      rows.push({
        ...this.rowBase(req, plan, experimentId),
        runId: parentRunId,
        parentRunId: null,
        status: 'RUNNING',
        parameters: req.parameters ?? {},
        command: null,
        launchSpec: null,
        maxParallel: plan.maxParallel,
        gridIndex: null,
      });
    }
    for (const [index, run] of plan.runs.entries()) {
      const tags = parentRunId ? { ...plan.tags, 'mlflow.parentRunId': parentRunId } : plan.tags;
      const runId = await this.tracking.createRun(experimentId, tags, run.name ?? req.run_name);
      await this.tracking.logParams(runId, run.loggedParams);
      // A sweep child that must wait for a slot shows as SCHEDULED until it starts.
      if (parentRunId && index >= plan.maxParallel) await this.tracking.setStatus(runId, 'SCHEDULED');
      const launch: PlannedLaunch = {
        runId,
        experimentId,
        projectName: plan.project.name,
        command: run.command,
        env: runEnvVars({ runId, trackingUri: this.settings.trackingUri, experimentId }),
        projectDir: plan.fetched.dir,
        logPath: this.logPath(runId),
        envManager: plan.envManager,
        workDir,
        ...(plan.pythonEnv && { pythonEnv: plan.pythonEnv }),
        ...(plan.fetched.git?.remote && plan.fetched.git.repoUrl && { git: { url: plan.fetched.git.repoUrl, commit: plan.fetched.git.commit, subdirectory: plan.fetched.git.subdirectory } }),
        ...(plan.dockerImage && { dockerImage: plan.dockerImage }),
        ...(plan.kubernetes && { kubernetes: plan.kubernetes }),
      };
      rows.push({
        ...this.rowBase(req, plan, experimentId),
        runId,
        parentRunId,
        status: 'QUEUED',
        parameters: run.parameters,
        command: run.command,
        launchSpec: launch,
        maxParallel: null,
        gridIndex: parentRunId ? index : null,
      });
    }
    await this.repo.insertMany(rows, Date.now());
    this.pump();
    const top = rows[0];
    return this.describe(top.runId);
  }

  private rowBase(req: SubmitProjectRunRequest, plan: SubmissionPlan, experimentId: string) {
    return { experimentId, backend: plan.backend, uri: req.uri, version: req.version ?? null, entryPoint: plan.entryPoint };
  }

  // ---- read -----------------------------------------------------------------------------------

  async describe(runId: string): Promise<ProjectRun> {
    const run = await this.mustGet(runId);
    const children = run.parentRunId === null && run.command === null ? (await this.repo.children(runId)).map((c) => c.runId) : undefined;
    return toProjectRun(run, children);
  }

  async list(req: ListProjectRunsRequest): Promise<ListProjectRunsResponse> {
    const limit = Math.min(Math.max(req.max_results ?? 100, 1), 1000);
    let after: { createdAt: number; runId: string } | undefined;
    if (req.page_token) {
      try {
        after = JSON.parse(Buffer.from(req.page_token, 'base64url').toString()) as { createdAt: number; runId: string };
        if (typeof after.createdAt !== 'number' || typeof after.runId !== 'string') throw new Error('shape');
      } catch {
        throw invalidParameter('Invalid page token');
      }
    }
    const rows = await this.repo.list(limit + 1, after);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      project_runs: page.map((r) => toProjectRun(r)),
      ...(rows.length > limit && last && { next_page_token: Buffer.from(JSON.stringify({ createdAt: last.createdAt, runId: last.runId })).toString('base64url') }),
    };
  }

  async logs(runId: string, offset: number): Promise<ProjectRunLogsResponse> {
    if (!Number.isInteger(offset) || offset < 0) throw invalidParameter('offset must be a non-negative integer');
    const run = await this.mustGet(runId);
    const chunk =
      run.handle && run.handle.backend !== 'local'
        ? await this.backend(run.backend).logs(run.handle, offset, { logPath: this.logPath(runId) }).catch((e: Error) => ({
            data: '',
            nextOffset: offset,
            error: e.message,
          }))
        : await readLogFile(this.logPath(runId), offset);
    return { logs: chunk.data, next_offset: chunk.nextOffset, complete: isTerminal(run.status) && chunk.data === '' };
  }

  private async mustGet(runId: string): Promise<ProjectRunRecord> {
    const run = /^[0-9a-f]{32}$/.test(runId) ? await this.repo.get(runId) : null;
    if (!run) throw notFound(`Project run '${runId}' does not exist.`);
    return run;
  }

  // ---- cancel ---------------------------------------------------------------------------------

  async cancel(runId: string): Promise<ProjectRun> {
    const run = await this.mustGet(runId);
    if (isTerminal(run.status)) return this.describe(runId);
    await this.repo.requestCancel(runId);
    const targets = run.command === null ? await this.repo.children(runId) : [run];
    for (const listed of targets) {
      if (isTerminal(listed.status)) continue;
      await this.repo.requestCancel(listed.runId);
      // Read again after the request: a launch that recorded its handle since the listing is
      // killed here; one that records it later sees the request (launch() checks after recording).
      const target = (await this.repo.get(listed.runId)) ?? listed;
      if (target.status === 'QUEUED') {
        await this.complete(target, { status: 'KILLED', message: 'Cancelled before it started.' });
      } else if (target.status === 'RUNNING' && target.handle) {
        await this.backend(target.backend).cancel(target.handle);
      }
      // RUNNING without a handle is still preparing; launch() sees the request and stops there.
    }
    if (run.command === null) await this.settleParent(runId);
    return this.describe(runId);
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  /** Starts whatever may start now; serialized, so a sweep never exceeds its parallelism. */
  private pump(): void {
    this.pumping = this.pumping.then(() => this.pumpOnce()).catch((e: Error) => this.logger.error(`scheduling failed: ${e.message}`));
  }

  private async pumpOnce(): Promise<void> {
    if (this.stopped) return;
    const active = await this.repo.active();
    const running = new Map<string, number>();
    for (const r of active) {
      if (r.parentRunId && r.status === 'RUNNING') running.set(r.parentRunId, (running.get(r.parentRunId) ?? 0) + 1);
    }
    const limits = new Map(active.filter((r) => r.command === null).map((p) => [p.runId, p.maxParallel ?? 1]));
    for (const r of active) {
      if (r.status !== 'QUEUED' || r.command === null) continue;
      if (r.parentRunId) {
        const busy = running.get(r.parentRunId) ?? 0;
        if (busy >= (limits.get(r.parentRunId) ?? 1)) continue;
        running.set(r.parentRunId, busy + 1);
      }
      if (await this.repo.claim(r.runId, Date.now())) void this.launch(r);
    }
  }

  private async launch(run: ProjectRunRecord): Promise<void> {
    const spec = run.launchSpec as PlannedLaunch;
    const log = createWriteStream(spec.logPath, { flags: 'a' });
    try {
      await this.tracking.setStatus(run.runId, 'RUNNING').catch(() => undefined);
      let activate: string | undefined;
      if (run.backend === 'local' && spec.envManager === 'virtualenv' && spec.pythonEnv) {
        await this.repo.setMessage(run.runId, 'Building the Python environment');
        activate = await ensureVirtualenv(spec.pythonEnv, {
          envsDir: path.join(this.settings.stateDir, 'envs'),
          projectDir: spec.projectDir,
          python: this.settings.python,
          log,
        });
      }
      if ((await this.repo.get(run.runId))?.cancelRequested) {
        await this.complete(run, { status: 'KILLED', message: 'Cancelled before it started.' });
        return;
      }
      log.write(`=== Running command '${spec.command}' in run with ID '${run.runId}' ===\n`);
      await new Promise<void>((resolve) => log.end(resolve));
      const handle = await this.backend(run.backend).launch({ ...spec, ...(activate && { activate }) });
      await this.repo.setHandle(run.runId, handle, null);
      this.follow(run, handle);
      // A cancel that came between the check above and the handle being recorded found no handle.
      if ((await this.repo.get(run.runId))?.cancelRequested) {
        await this.backend(run.backend)
          .cancel(handle)
          .catch((e: Error) => this.logger.warn(`run ${run.runId} was cancelled while starting and could not be stopped: ${e.message}`));
      }
    } catch (e) {
      const message = (e as Error).message;
      this.logger.warn(`run ${run.runId} could not start: ${message}`);
      if (!log.closed) await new Promise<void>((resolve) => log.end(resolve));
      await appendFile(spec.logPath, `=== The run could not start: ${message} ===\n`).catch(() => undefined);
      await this.complete(run, { status: 'FAILED', message });
    }
  }

  private follow(run: ProjectRunRecord, handle: BackendHandle): void {
    const abort = new AbortController();
    this.following.set(run.runId, abort);
    this.backend(run.backend)
      .wait(handle, abort.signal, { logPath: this.logPath(run.runId) })
      .then(
        (outcome) => this.complete(run, outcome),
        (e: Error) => {
          if (!abort.signal.aborted) this.logger.error(`following ${run.runId} failed: ${e.message}`);
        },
      )
      .finally(() => this.following.delete(run.runId));
  }

  /** Records the end of a run, closes its tracking run, and moves its sweep on. */
  private async complete(run: ProjectRunRecord, outcome: RunOutcome): Promise<void> {
    const current = await this.repo.get(run.runId);
    let status: ProjectRunStatus = outcome.status;
    if (current?.cancelRequested && status !== 'FINISHED') status = 'KILLED';
    if (!current || isTerminal(current.status)) return;
    // The tracking run is closed before the runner's record, so whoever sees the project run
    // ended also sees its tracking run ended.
    await this.closeTracking(run, status);
    const verdict = status === 'FINISHED' ? 'succeeded' : status === 'KILLED' ? 'was cancelled' : 'failed';
    await appendFile(this.logPath(run.runId), `=== Run (ID '${run.runId}') ${verdict} ===\n`).catch(() => undefined);
    const recorded = await this.repo.finish(run.runId, status, outcome.exitCode ?? null, outcome.message ?? null, Date.now());
    if (!recorded) return;
    if (run.parentRunId) await this.settleParent(run.parentRunId);
    else await this.cleanup(run);
    this.pump();
  }

  private async closeTracking(run: ProjectRunRecord, status: 'FINISHED' | 'FAILED' | 'KILLED' | ProjectRunStatus): Promise<void> {
    if (status === 'QUEUED' || status === 'RUNNING') return;
    await this.tracking.terminateIfRunning(run.runId, status).catch((e: Error) => {
      this.logger.error(`could not close tracking run ${run.runId}: ${e.message}`);
    });
  }

  /** A sweep ends when its last child does: FINISHED only if every child finished. */
  private async settleParent(parentRunId: string): Promise<void> {
    const parent = await this.repo.get(parentRunId);
    if (!parent || isTerminal(parent.status)) return;
    const children = await this.repo.children(parentRunId);
    if (children.some((c) => !isTerminal(c.status))) return;
    const failed = children.filter((c) => c.status === 'FAILED').length;
    const killed = children.filter((c) => c.status === 'KILLED').length;
    const status: ProjectRunStatus = parent.cancelRequested ? 'KILLED' : failed + killed > 0 ? 'FAILED' : 'FINISHED';
    const message = failed + killed > 0 ? `${failed} of ${children.length} runs failed, ${killed} were cancelled.` : `All ${children.length} runs finished.`;
    await this.closeTracking(parent, status);
    if (await this.repo.finish(parentRunId, status, null, message, Date.now())) {
      const spec = children[0]?.launchSpec as PlannedLaunch | null;
      if (spec) await this.cleanup({ ...parent, launchSpec: spec });
    }
  }

  private async cleanup(run: ProjectRunRecord): Promise<void> {
    const workDir = (run.launchSpec as PlannedLaunch | null)?.workDir;
    if (workDir) await rm(workDir, { recursive: true, force: true }).catch(() => undefined);
  }
}
