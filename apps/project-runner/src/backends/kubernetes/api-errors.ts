import { ApiException } from '@kubernetes/client-node';

/** A Kubernetes API call that failed, with the API server's own message. */
export class KubernetesApiError extends Error {
  constructor(
    message: string,
    /** HTTP status, or undefined when the API server could not be reached. */
    readonly status?: number,
  ) {
    super(message);
  }
}

export const statusOf = (e: unknown): number | undefined =>
  e instanceof ApiException ? e.code : e instanceof KubernetesApiError ? e.status : undefined;

export const isNotFound = (e: unknown): boolean => statusOf(e) === 404;
export const isConflict = (e: unknown): boolean => statusOf(e) === 409;

/** The `message` of the API's Status body, else the raw body, else the exception's text. */
export function apiMessage(e: unknown): string {
  if (e instanceof ApiException) {
    const body: unknown = e.body;
    if (typeof body === 'string' && body.trim()) {
      try {
        const status = JSON.parse(body) as { message?: unknown };
        if (typeof status.message === 'string' && status.message) return status.message;
      } catch {
        return body.trim().slice(0, 500);
      }
    }
    if (typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string') {
      return (body as { message: string }).message;
    }
    return `HTTP ${e.code}`;
  }
  return e instanceof Error ? e.message : String(e);
}

const HINTS: Record<number, string> = {
  400: 'bad request',
  401: 'unauthorized: check the kubeconfig credentials',
  403: 'forbidden: the runner\'s account lacks RBAC permission',
  404: 'not found',
  409: 'conflict',
  422: 'invalid',
};

/** `<what>: <hint> (HTTP <code>): <API message>`, or `<what>: cannot reach the Kubernetes API server at …`. */
export function describeApiError(e: unknown, what: string, server?: string): KubernetesApiError {
  if (e instanceof KubernetesApiError) return e;
  const status = statusOf(e);
  if (status === undefined) {
    return new KubernetesApiError(`${what}: cannot reach the Kubernetes API server${server ? ` at ${server}` : ''}: ${apiMessage(e)}`);
  }
  const hint = HINTS[status] ?? 'failed';
  return new KubernetesApiError(`${what}: ${hint} (HTTP ${status}): ${apiMessage(e)}`, status);
}

/** `call`, or a rejection after `ms` (an API server that accepted the connection but never answers). */
export function withTimeout<T>(ms: number, call: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from the Kubernetes API server in ${ms} ms`)), ms);
  });
  return Promise.race([call, timeout]).finally(() => clearTimeout(timer));
}
