import { Logger } from '@nestjs/common';
import { BatchV1Api, CoreV1Api, KubeConfig, Watch } from '@kubernetes/client-node';
import type { BackendHandle, LaunchSpec, LogChunk, ProjectBackend, RunOutcome } from '../backend';
import { describeApiError, isConflict, isNotFound, statusOf, withTimeout } from './api-errors';
import { buildJob, podSelectorFor } from './job-spec';
import { newestFirst } from './job-status';
import { JobWatcher, type WatchLogger } from './job-watch';
import { RUN_ID_LABEL } from './names';

export interface KubernetesBackendOptions {
  /** A kubeconfig file; otherwise `KubeConfig.loadFromDefault()` (KUBECONFIG, ~/.kube/config, in-cluster). */
  kubeconfigPath?: string;
  logger?: WatchLogger;
  /** How long each watch request lasts before the watcher re-lists (default 300 s). */
  watchTimeoutSeconds?: number;
  /** How long any other API call may take before the API server counts as unreachable (default 30 s). */
  requestTimeoutMs?: number;
}

type KubernetesHandle = Extract<BackendHandle, { backend: 'kubernetes' }>;

interface Clients {
  server: string | undefined;
  batch: BatchV1Api;
  core: CoreV1Api;
  watch: Watch;
}

/** Runs a project as a Kubernetes `batch/v1` Job (MLflow's `--backend kubernetes`). */
export class KubernetesBackend implements ProjectBackend {
  readonly name = 'kubernetes' as const;
  private readonly clients = new Map<string, Clients>();
  private readonly cancelled = new Set<string>();
  private readonly logger: WatchLogger;
  private readonly requestTimeoutMs: number;

  constructor(private readonly options: KubernetesBackendOptions = {}) {
    this.logger = options.logger ?? new Logger('KubernetesBackend');
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  }

  private timed<T>(call: Promise<T>): Promise<T> {
    return withTimeout(this.requestTimeoutMs, call);
  }

  async launch(spec: LaunchSpec): Promise<BackendHandle> {
    const { namespace, jobName, job } = buildJob(spec);
    const context = spec.kubernetes?.kubeContext;
    const { batch, server } = this.clientsFor(context);
    this.warnIfUnreachableTrackingUri(job.spec?.template.spec?.containers[0].env ?? [], `${namespace}/${jobName}`);
    const handle: KubernetesHandle = { backend: 'kubernetes', namespace, jobName, ...(context && { context }) };
    try {
      await this.timed(batch.createNamespacedJob({ namespace, body: job }));
    } catch (e) {
      if (isConflict(e) && (await this.isOurs(batch, handle, spec.runId))) {
        this.logger.log(`Job ${namespace}/${jobName} already exists for run ${spec.runId}; following it`);
        return handle;
      }
      throw describeApiError(e, `Creating Kubernetes Job ${namespace}/${jobName}`, server);
    }
    this.logger.log(`Created Kubernetes Job ${namespace}/${jobName} for run ${spec.runId}${server ? ` on ${server}` : ''}`);
    return handle;
  }

  async wait(handle: BackendHandle, signal: AbortSignal): Promise<RunOutcome> {
    const h = asKubernetes(handle);
    const key = keyOf(h);
    const { batch, core, watch } = this.clientsFor(h.context);
    const watcher = new JobWatcher(h.namespace, h.jobName, {
      batch,
      core,
      watch,
      logger: this.logger,
      cancelled: () => this.cancelled.has(key),
      deleteJob: () => this.deleteJob(h),
      requestTimeoutMs: this.requestTimeoutMs,
      ...(this.options.watchTimeoutSeconds !== undefined && { watchTimeoutSeconds: this.options.watchTimeoutSeconds }),
    });
    try {
      return await watcher.follow(signal);
    } finally {
      this.cancelled.delete(key);
    }
  }

  /** The newest pod's log from `offset` (bytes) on; nothing yet while no container has started. */
  async logs(handle: BackendHandle, offset: number): Promise<LogChunk> {
    const h = asKubernetes(handle);
    const { core, server } = this.clientsFor(h.context);
    const empty = { data: '', nextOffset: offset };
    let pod;
    try {
      const pods = await this.timed(core.listNamespacedPod({ namespace: h.namespace, labelSelector: podSelectorFor(h.jobName) }));
      pod = newestFirst(pods.items)[0];
    } catch (e) {
      throw describeApiError(e, `Listing the pods of Job ${h.namespace}/${h.jobName}`, server);
    }
    const name = pod?.metadata?.name;
    if (!pod || !name) return empty;
    let text: string;
    try {
      text = await this.timed(core.readNamespacedPodLog({ name, namespace: h.namespace, container: pod.spec?.containers[0]?.name }));
    } catch (e) {
      // 400: the container has not started yet; 404: the pod is gone.
      if (statusOf(e) === 400 || isNotFound(e)) return empty;
      throw describeApiError(e, `Reading the log of pod ${h.namespace}/${name}`, server);
    }
    const bytes = Buffer.from(text ?? '', 'utf8');
    if (offset >= bytes.length) return empty;
    return { data: bytes.subarray(offset).toString('utf8'), nextOffset: bytes.length };
  }

  /** Deletes the Job and, in the background, its pods; `wait` then resolves KILLED. */
  async cancel(handle: BackendHandle): Promise<void> {
    const h = asKubernetes(handle);
    this.cancelled.add(keyOf(h));
    try {
      await this.deleteJob(h);
    } catch (e) {
      this.cancelled.delete(keyOf(h));
      throw e;
    }
  }

  private async deleteJob(h: KubernetesHandle): Promise<void> {
    const { batch, server } = this.clientsFor(h.context);
    try {
      await this.timed(batch.deleteNamespacedJob({ name: h.jobName, namespace: h.namespace, propagationPolicy: 'Background' }));
      this.logger.log(`Deleted Kubernetes Job ${h.namespace}/${h.jobName}`);
    } catch (e) {
      if (!isNotFound(e)) throw describeApiError(e, `Deleting Kubernetes Job ${h.namespace}/${h.jobName}`, server);
    }
  }

  private async isOurs(batch: BatchV1Api, h: KubernetesHandle, runId: string): Promise<boolean> {
    const existing = await this.timed(batch.readNamespacedJob({ name: h.jobName, namespace: h.namespace })).catch(() => undefined);
    return existing?.metadata?.labels?.[RUN_ID_LABEL] === runId;
  }

  /** Clients per kubeconfig context, loaded on first use (a runner without Kubernetes never loads one). */
  private clientsFor(context: string | undefined): Clients {
    const key = context ?? '';
    let clients = this.clients.get(key);
    if (!clients) {
      const kc = new KubeConfig();
      if (this.options.kubeconfigPath) kc.loadFromFile(this.options.kubeconfigPath);
      else kc.loadFromDefault();
      if (context) {
        if (!kc.getContextObject(context)) {
          throw new Error(`Kubernetes context "${context}" is not in the kubeconfig (${kc.getContexts().map((c) => c.name).join(', ') || 'no contexts'})`);
        }
        kc.setCurrentContext(context);
      }
      clients = {
        server: kc.getCurrentCluster()?.server,
        batch: kc.makeApiClient(BatchV1Api),
        core: kc.makeApiClient(CoreV1Api),
        watch: new Watch(kc),
      };
      this.clients.set(key, clients);
    }
    return clients;
  }

  private warnIfUnreachableTrackingUri(env: { name: string; value?: string }[], job: string): void {
    const uri = env.find((e) => e.name === 'MLFLOW_TRACKING_URI')?.value;
    let host: string;
    try {
      host = uri ? new URL(uri).hostname : '';
    } catch {
      return;
    }
    if (host === 'localhost' || host.startsWith('127.') || host === '[::1]') {
      this.logger.warn(
        `Job ${job} gets MLFLOW_TRACKING_URI=${uri}, which a pod cannot reach; set "trackingUri" in the Kubernetes backend config`,
      );
    }
  }
}

function asKubernetes(handle: BackendHandle): KubernetesHandle {
  if (handle.backend !== 'kubernetes') throw new Error(`Not a Kubernetes run: ${handle.backend} handle`);
  return handle;
}

const keyOf = (h: KubernetesHandle): string => `${h.context ?? ''}/${h.namespace}/${h.jobName}`;
