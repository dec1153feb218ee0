import { setTimeout as sleep } from 'node:timers/promises';
import type { BatchV1Api, CoreV1Api, V1Job, V1Pod, Watch } from '@kubernetes/client-node';
import type { RunOutcome } from '../backend';
import { apiMessage, withTimeout } from './api-errors';
import { podSelectorFor } from './job-spec';
import { PullFailureClock, deletedOutcome, jobOutcome, pullFailedOutcome, pullGraceSeconds } from './job-status';

export interface WatchLogger {
  log(message: string): void;
  warn(message: string): void;
}

export interface JobWatchDeps {
  batch: BatchV1Api;
  core: CoreV1Api;
  watch: Watch;
  logger: WatchLogger;
  /** Whether Cairn deleted this Job itself (cancel), for the KILLED message. */
  cancelled: () => boolean;
  /** Deletes the Job and its pods (an image that cannot be pulled ends the run). */
  deleteJob: () => Promise<void>;
  /** The API server closes each watch after this long; the watcher then re-lists and watches again. */
  watchTimeoutSeconds?: number;
  /** How long one list call may take before the API server counts as gone. */
  requestTimeoutMs?: number;
}

type Round =
  | { kind: 'outcome'; outcome: RunOutcome; deleteJob?: boolean }
  | { kind: 'ended' }
  | { kind: 'error'; error: unknown };

const MAX_BACKOFF_MS = 30_000;
/** A round shorter than this (or half the watch timeout) counts as a failure for the backoff. */
const MIN_HEALTHY_ROUND_MS = 2_000;

/**
 * Follows one Job to its end: list the Job and its pods, then watch both from the lists'
 * resourceVersions. When a watch ends (the server's timeout, a dropped connection, a 410 Gone, an
 * API server that went away) it re-lists and watches again, with backoff while the API server
 * fails; it gives up only when `signal` aborts.
 */
export class JobWatcher {
  private job: V1Job | undefined;
  private readonly pods = new Map<string, V1Pod>();
  private readonly pullClock = new PullFailureClock();
  private readonly watchTimeoutSeconds: number;
  private readonly requestTimeoutMs: number;

  constructor(
    private readonly namespace: string,
    private readonly jobName: string,
    private readonly deps: JobWatchDeps,
  ) {
    this.watchTimeoutSeconds = deps.watchTimeoutSeconds ?? 300;
    this.requestTimeoutMs = deps.requestTimeoutMs ?? 30_000;
  }

  private get ref(): string {
    return `${this.namespace}/${this.jobName}`;
  }

  async follow(signal: AbortSignal): Promise<RunOutcome> {
    let failures = 0;
    for (;;) {
      if (signal.aborted) throw signal.reason;
      const started = Date.now();
      const round = await this.round(signal).catch((error: unknown): Round => {
        if (signal.aborted) throw signal.reason;
        return { kind: 'error', error };
      });
      if (round.kind === 'outcome') return this.finish(round);
      const healthy = round.kind === 'ended' && Date.now() - started >= Math.min(MIN_HEALTHY_ROUND_MS, this.watchTimeoutSeconds * 500);
      failures = healthy ? 0 : failures + 1;
      const delay = failures === 0 ? 0 : backoffMs(failures);
      if (round.kind === 'error') {
        this.deps.logger.warn(
          `Kubernetes watch of Job ${this.ref} lost (${apiMessage(round.error)}); reconnecting in ${Math.round(delay)} ms (attempt ${failures})`,
        );
      } else {
        this.deps.logger.log(`Kubernetes watch of Job ${this.ref} ended; re-listing and watching again${delay ? ` in ${Math.round(delay)} ms` : ''}`);
      }
      if (delay > 0) await sleep(delay, undefined, { signal }).catch(() => Promise.reject(signal.reason));
    }
  }

  private async finish(round: Extract<Round, { kind: 'outcome' }>): Promise<RunOutcome> {
    if (round.deleteJob) {
      await this.deps.deleteJob().catch((e: unknown) => this.deps.logger.warn(`Could not delete Job ${this.ref}: ${apiMessage(e)}`));
      return round.outcome;
    }
    // The Job's Failed condition can arrive before its pod's final status on the other watch.
    if (round.outcome.status === 'FAILED' && round.outcome.exitCode === undefined && this.job) {
      const pods = await this.listPods().catch(() => undefined);
      if (pods) return jobOutcome(this.job, pods.items) ?? round.outcome;
    }
    return round.outcome;
  }

  private listPods() {
    return withTimeout(this.requestTimeoutMs, this.deps.core.listNamespacedPod({ namespace: this.namespace, labelSelector: podSelectorFor(this.jobName) }));
  }

  private async round(signal: AbortSignal): Promise<Round> {
    const [jobs, pods] = await Promise.all([
      withTimeout(this.requestTimeoutMs, this.deps.batch.listNamespacedJob({ namespace: this.namespace, fieldSelector: `metadata.name=${this.jobName}` })),
      this.listPods(),
    ]);
    this.job = jobs.items[0];
    if (!this.job) return { kind: 'outcome', outcome: deletedOutcome(this.namespace, this.jobName, this.deps.cancelled()) };
    this.pods.clear();
    for (const pod of pods.items) this.pods.set(pod.metadata?.name ?? '', pod);
    const now = this.evaluate();
    if (now.outcome) return now.outcome;
    return this.watchBoth(jobs.metadata?.resourceVersion, pods.metadata?.resourceVersion, now.recheckAt, signal);
  }

  private evaluate(): { outcome?: Round & { kind: 'outcome' }; recheckAt?: number } {
    if (!this.job) return { outcome: { kind: 'outcome', outcome: deletedOutcome(this.namespace, this.jobName, this.deps.cancelled()) } };
    const pods = [...this.pods.values()];
    const outcome = jobOutcome(this.job, pods);
    if (outcome) {
      return { outcome: { kind: 'outcome', outcome: outcome.status === 'KILLED' ? deletedOutcome(this.namespace, this.jobName, this.deps.cancelled()) : outcome } };
    }
    const grace = pullGraceSeconds(this.job);
    const pull = this.pullClock.observe(pods, Date.now(), grace * 1000);
    if (pull.expired) {
      return { outcome: { kind: 'outcome', outcome: pullFailedOutcome(pull.expired, grace), deleteJob: true } };
    }
    return { recheckAt: pull.recheckAt };
  }

  private watchBoth(jobsRv: string | undefined, podsRv: string | undefined, recheckAt: number | undefined, signal: AbortSignal): Promise<Round> {
    return new Promise<Round>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const controllers: AbortController[] = [];
      let settled = false;
      let pullTimer: NodeJS.Timeout | undefined;
      // The server ends every watch at timeoutSeconds; a connection still open well after that is
      // half-open (an API server that vanished without closing it).
      const stallSeconds = this.watchTimeoutSeconds + Math.min(30, Math.max(5, this.watchTimeoutSeconds));
      const stallTimer = setTimeout(
        () => settle({ kind: 'error', error: new Error(`the watch did not end ${stallSeconds} s after it started`) }),
        stallSeconds * 1000,
      );
      const onAbort = () => settle(null, signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      const settle = (round: Round | null, error?: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(pullTimer);
        clearTimeout(stallTimer);
        signal.removeEventListener('abort', onAbort);
        for (const c of controllers) c.abort();
        if (round) resolve(round);
        else reject(error);
      };
      const reevaluate = () => {
        const next = this.evaluate();
        if (next.outcome) return settle(next.outcome);
        clearTimeout(pullTimer);
        if (next.recheckAt !== undefined) pullTimer = setTimeout(reevaluate, Math.max(0, next.recheckAt - Date.now()) + 10);
      };
      const onEnd = (err: unknown) => settle(err ? { kind: 'error', error: err } : { kind: 'ended' });
      const start = (path: string, query: Record<string, string>, rv: string | undefined, apply: (type: string, obj: unknown) => void) => {
        this.deps.watch
          .watch(
            path,
            { ...query, resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds: this.watchTimeoutSeconds },
            (type: string, obj: unknown) => {
              if (settled) return;
              if (type === 'ERROR') return settle({ kind: 'error', error: watchError(obj) });
              if (type === 'BOOKMARK') return;
              apply(type, obj);
              if (!settled) reevaluate();
            },
            onEnd,
          )
          .then(
            (c) => (settled ? c.abort() : controllers.push(c)),
            (e: unknown) => onEnd(e ?? new Error('watch failed')),
          );
      };
      const ns = encodeURIComponent(this.namespace);
      start(`/apis/batch/v1/namespaces/${ns}/jobs`, { fieldSelector: `metadata.name=${this.jobName}` }, jobsRv, (type, obj) => {
        if (type === 'DELETED') {
          this.job = undefined;
        } else {
          this.job = obj as V1Job;
        }
      });
      start(`/api/v1/namespaces/${ns}/pods`, { labelSelector: podSelectorFor(this.jobName) }, podsRv, (type, obj) => {
        const pod = obj as V1Pod;
        if (type === 'DELETED') this.pods.delete(pod.metadata?.name ?? '');
        else this.pods.set(pod.metadata?.name ?? '', pod);
      });
      if (recheckAt !== undefined) pullTimer = setTimeout(reevaluate, Math.max(0, recheckAt - Date.now()) + 10);
    });
  }
}

function watchError(obj: unknown): Error {
  const status = obj as { code?: number; reason?: string; message?: string } | undefined;
  return new Error(`watch error ${status?.code ?? ''} ${status?.reason ?? ''}: ${status?.message ?? 'unknown'}`.replace(/\s+/g, ' '));
}

/** 0.5 s, 1 s, 2 s … up to 30 s, each ±20 %. */
export function backoffMs(failures: number): number {
  const base = Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.max(0, failures - 1));
  return base * (0.8 + Math.random() * 0.4);
}
