import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from 'commander';
import type { KubernetesBackendConfig } from '@cairn/contracts';

/** `-P key=value` (repeatable), as `mlflow run` takes it. */
export function collectKeyValue(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`expected key=value, got '${value}'`);
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}

/** `--sweep key=v1,v2,v3` (repeatable). */
export function collectSweep(value: string, previous: Record<string, string[]> = {}): Record<string, string[]> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`expected key=v1,v2,…, got '${value}'`);
  const key = value.slice(0, eq);
  if (key in previous) throw new InvalidArgumentError(`'${key}' is swept twice`);
  const values = value.slice(eq + 1).split(',');
  if (values.some((v) => v === '')) throw new InvalidArgumentError(`empty value in '${value}'`);
  return { ...previous, [key]: values };
}

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const SCP_LIKE = /^[^/@:]+@[^/:]+:/;

/**
 * A local project path becomes absolute (the runner resolves nothing against its own working
 * directory); git URIs pass through untouched.
 */
export function resolveProjectUri(uri: string, cwd = process.cwd()): string {
  if (SCHEME.test(uri) || SCP_LIKE.test(uri)) return uri;
  const [base, ...fragment] = uri.split('#');
  const abs = path.resolve(cwd, base);
  return fragment.length > 0 ? `${abs}#${fragment.join('#')}` : abs;
}

/**
 * `--backend-config`: a JSON file or inline JSON, with MLflow's keys understood: `kube-context`,
 * `repository-uri` (the image) and `kube-job-template-path`, whose file the CLI reads and sends.
 */
export function readBackendConfig(value: string, cwd = process.cwd()): KubernetesBackendConfig {
  const file = path.resolve(cwd, value);
  const text = existsSync(file) ? readFileSync(file, 'utf8') : value;
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new InvalidArgumentError(`--backend-config is neither a JSON file nor JSON: ${(e as Error).message}`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new InvalidArgumentError('--backend-config must be a JSON object');
  const { 'kube-context': context, 'repository-uri': repositoryUri, 'kube-job-template-path': templatePath, ...rest } = raw;
  const base = existsSync(file) ? path.dirname(file) : cwd;
  return {
    ...(rest as KubernetesBackendConfig),
    ...(typeof context === 'string' && { kubeContext: context }),
    ...(typeof repositoryUri === 'string' && !rest.image && { image: repositoryUri }),
    ...(typeof templatePath === 'string' && { jobTemplate: readFileSync(path.resolve(base, templatePath), 'utf8') }),
  };
}
