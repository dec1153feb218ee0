import type { Tag } from '@cairn/contracts';
import { invalidParameter, notFound } from '@cairn/contracts';
import { BAD_CHARACTERS, badPathMessage, KEY_PATTERN, pathNotUnique } from '@cairn/mlflow-wire';

export const MAX_EXPERIMENT_NAME_LENGTH = 500;
export const MAX_EXPERIMENT_TAG_KEY_LENGTH = 250;
export const MAX_EXPERIMENT_TAG_VALUE_LENGTH = 20_000; // MLflow 3.x (5000 in the reference table, 20000 in the 3.17 server)
export const MAX_ARTIFACT_LOCATION_LENGTH = 2048;


export function validateExperimentName(name: unknown): string {
  if (name === undefined || name === null || name === '') throw invalidParameter(`Invalid experiment name: '${name ?? ''}'`);
  if (typeof name !== 'string') throw invalidParameter(`Invalid experiment name: ${String(name)}. Expects a string.`);
  if (name.length > MAX_EXPERIMENT_NAME_LENGTH) {
    throw invalidParameter(`'name' exceeds the maximum length of ${MAX_EXPERIMENT_NAME_LENGTH} characters`);
  }
  return name;
}

/** Experiment ids are integers (MLflow 3.x says so with a 400); a huge one names nothing. */
export function parseExperimentId(id: string): string {
  if (!/^-?\d+$/.test(id.trim())) {
    throw invalidParameter(`Invalid experiment ID '${id}'. Experiment ID must be a valid integer.`);
  }
  const value = BigInt(id.trim());
  if (value < 0n || value > 9_223_372_036_854_775_807n) throw notFound(`No Experiment with id=${id} exists`);
  return value.toString();
}

export function validateExperimentTag(key: string, value: string): void {
  if (!key) throw invalidParameter('Tag name cannot be empty. A key name must be provided.');
  if (!KEY_PATTERN.test(key)) throw invalidParameter(`Invalid tag name: '${key}'. ${BAD_CHARACTERS}`);
  if (pathNotUnique(key)) {
    throw invalidParameter(`Invalid tag name: '${key}'. ${badPathMessage(key)}`);
  }
  checkLength('Tag key', MAX_EXPERIMENT_TAG_KEY_LENGTH, key);
  checkLength('Tag value', MAX_EXPERIMENT_TAG_VALUE_LENGTH, value);
}

export function validateExperimentTags(tags: readonly Tag[] | undefined): Tag[] {
  const byKey = new Map<string, string>();
  for (const tag of tags ?? []) {
    validateExperimentTag(tag.key, tag.value);
    byKey.set(tag.key, tag.value);
  }
  return [...byKey].map(([key, value]) => ({ key, value }));
}

/**
 * Clients may name where an experiment's artifacts live, but never a path on the server's own
 * file system: that is server configuration. Remote URIs (s3://, gs://, mlflow-artifacts:/…) pass.
 */
export function validateArtifactLocation(location: string | undefined): string | undefined {
  if (location === undefined || location === '') return undefined;
  checkLength('Artifact location', MAX_ARTIFACT_LOCATION_LENGTH, location);
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(location)?.[1]?.toLowerCase();
  if (scheme === 'runs' || scheme === 'models') {
    throw invalidParameter(`Artifact location cannot be a ${scheme}:/ URI. Given: '${location}'`);
  }
  if (!scheme || scheme === 'file' || /^[a-zA-Z]:[\\/]/.test(location)) {
    throw invalidParameter(
      `Artifact location '${location}' is a path on the server's file system; Cairn decides where artifacts are ` +
        'stored on the server. Leave artifact_location empty, or give a remote URI such as s3://bucket/path.',
    );
  }
  if (/[#;]/.test(location) || decodeRepeatedly(location).split(/[/\\]/).includes('..') || location.includes('\0')) {
    throw invalidParameter(`Invalid artifact location '${location}': it must not contain '..', '#', ';' or NUL.`);
  }
  return location;
}

function checkLength(what: string, limit: number, value: string) {
  if (value.length > limit) {
    throw invalidParameter(`${what} '${value.slice(0, 250)}' had length ${value.length}, which exceeded length limit of ${limit}`);
  }
}



function decodeRepeatedly(value: string): string {
  let current = value;
  for (let i = 0; i < 5; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return current;
    }
    if (next === current) return current;
    current = next;
  }
  return current;
}
