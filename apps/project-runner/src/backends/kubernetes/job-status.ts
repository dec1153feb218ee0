import type { V1ContainerStatus, V1Job, V1Pod } from '@kubernetes/client-node';
import type { RunOutcome } from '../backend';
import { DEFAULT_IMAGE_PULL_GRACE_SECONDS, PULL_GRACE_ANNOTATION } from './names';

/** Waiting reasons of a container whose image cannot be pulled; the kubelet retries them forever. */
export const IMAGE_PULL_REASONS: ReadonlySet<string> = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'ErrImageNeverPull',
]);

/**
 * The run's outcome from its Job's conditions (the Job controller's verdict, as MLflow's
 * `KubernetesSubmittedRun._update_status` reads it), with the exit code of the pod that failed
 * when a pod is still there to say. Null while the Job runs.
 */
export function jobOutcome(job: V1Job, pods: readonly V1Pod[]): RunOutcome | null {
  const conditions = (job.status?.conditions ?? []).filter((c) => c.status === 'True');
  if (conditions.some((c) => c.type === 'Complete')) return { status: 'FINISHED', exitCode: 0 };
  const failed = conditions.find((c) => c.type === 'Failed');
  if (failed) {
    const why = [failed.reason, failed.message].filter(Boolean).join(': ');
    const exit = failedContainer(pods);
    const parts = [`Job ${job.metadata?.namespace}/${job.metadata?.name} failed${why ? ` (${why})` : ''}`];
    if (exit) parts.push(exit.description);
    return { status: 'FAILED', ...(exit && { exitCode: exit.exitCode }), message: parts.join('; ') };
  }
  if (job.metadata?.deletionTimestamp) return deletedOutcome(job.metadata.namespace, job.metadata.name, false);
  return null;
}

export function deletedOutcome(namespace: string | undefined, name: string | undefined, cancelled: boolean): RunOutcome {
  return {
    status: 'KILLED',
    message: cancelled
      ? `Cancelled: Job ${namespace}/${name} deleted`
      : `Job ${namespace}/${name} was deleted before it finished (by someone else, or by its ttlSecondsAfterFinished before its outcome was seen)`,
  };
}

interface FailedContainer {
  exitCode: number;
  description: string;
}

/** The newest pod's failed container (init containers first: a failed clone stops the pod there). */
export function failedContainer(pods: readonly V1Pod[]): FailedContainer | null {
  for (const pod of newestFirst(pods)) {
    const statuses: [V1ContainerStatus, boolean][] = [
      ...(pod.status?.initContainerStatuses ?? []).map((s): [V1ContainerStatus, boolean] => [s, true]),
      ...(pod.status?.containerStatuses ?? []).map((s): [V1ContainerStatus, boolean] => [s, false]),
    ];
    for (const [status, init] of statuses) {
      const terminated = status.state?.terminated ?? status.lastState?.terminated;
      if (!terminated || terminated.exitCode === 0) continue;
      const detail = [terminated.reason, terminated.message?.trim()].filter(Boolean).join(': ');
      return {
        exitCode: terminated.exitCode,
        description:
          `${init ? 'init container' : 'container'} "${status.name}" of pod ${pod.metadata?.name} ` +
          `exited with code ${terminated.exitCode}${detail ? ` (${detail})` : ''}`,
      };
    }
  }
  return null;
}

export function newestFirst(pods: readonly V1Pod[]): V1Pod[] {
  const created = (p: V1Pod) => new Date(p.metadata?.creationTimestamp ?? 0).getTime();
  return [...pods].sort((a, b) => created(b) - created(a) || (b.metadata?.name ?? '').localeCompare(a.metadata?.name ?? ''));
}

export interface PullFailure {
  /** `<pod>/<container>`: one failure's identity across updates. */
  key: string;
  pod: string;
  container: string;
  image: string;
  reason: string;
  message?: string;
}

/** Containers of live pods that wait on an image that cannot be pulled. */
export function pullFailures(pods: readonly V1Pod[]): PullFailure[] {
  const out: PullFailure[] = [];
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
    const name = pod.metadata?.name ?? '';
    for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
      const waiting = s.state?.waiting;
      if (!waiting?.reason || !IMAGE_PULL_REASONS.has(waiting.reason)) continue;
      out.push({
        key: `${name}/${s.name}`,
        pod: name,
        container: s.name,
        image: s.image || imageOf(pod, s.name),
        reason: waiting.reason,
        ...(waiting.message && { message: waiting.message }),
      });
    }
  }
  return out;
}

function imageOf(pod: V1Pod, container: string): string {
  const all = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  return all.find((c) => c.name === container)?.image ?? '?';
}

export interface PullVerdict {
  /** A failure that outlasted the grace period: the run is FAILED. */
  expired?: PullFailure;
  /** When to look again (epoch ms) if nothing else happens before. */
  recheckAt?: number;
}

/**
 * Image pull failures get a grace period (a registry may be slow or a secret late); the clock
 * starts when this watcher first sees the failure, and stops when the container moves on.
 */
export class PullFailureClock {
  private readonly since = new Map<string, number>();

  observe(pods: readonly V1Pod[], now: number, graceMs: number): PullVerdict {
    const failures = pullFailures(pods);
    const current = new Set(failures.map((f) => f.key));
    for (const key of this.since.keys()) if (!current.has(key)) this.since.delete(key);
    let recheckAt: number | undefined;
    for (const f of failures) {
      const since = this.since.get(f.key) ?? now;
      this.since.set(f.key, since);
      const deadline = since + graceMs;
      if (now >= deadline) return { expired: f };
      recheckAt = recheckAt === undefined ? deadline : Math.min(recheckAt, deadline);
    }
    return recheckAt === undefined ? {} : { recheckAt };
  }
}

/** The grace the Job was launched with (its annotation), else the default. */
export function pullGraceSeconds(job: V1Job | undefined, fallback = DEFAULT_IMAGE_PULL_GRACE_SECONDS): number {
  const raw = job?.metadata?.annotations?.[PULL_GRACE_ANNOTATION];
  const value = raw === undefined ? NaN : Number(raw);
  return Number.isFinite(value) && value >= 0 ? value : fallback;
}

export function pullFailedOutcome(f: PullFailure, graceSeconds: number): RunOutcome {
  return {
    status: 'FAILED',
    message:
      `Image "${f.image}" could not be pulled for ${graceSeconds} s (${f.reason}` +
      `${f.message ? `: ${f.message}` : ''}) in pod ${f.pod}, container "${f.container}"; the Job was deleted`,
  };
}
