import type { ModelVersionLineage } from '@cairn/contracts';
import { invalidParameter } from '@cairn/contracts';
import {
  hasRelativeOrUnsafePath,
  hostAddressedScheme,
  invalidSource,
  isLocalUri,
  isMlflowArtifactSource,
  isUriWithinRoot,
  parseModelUri,
  runIdOfRunsUri,
  splitUri,
} from './source-uri';

// Where a model version's source may point (MLflow 3's _validate_source_run / _validate_source_model),
// with one deliberate difference: a path on the server's own disk is refused outright, since
// Cairn never serves server paths.

/** Prompt versions carry one of these placeholders instead of a source. */
const PROMPT_SOURCE_PLACEHOLDERS = new Set(['dummy-source', 'prompt-template']);

export function checkPromptSource(source: string): void {
  if (!PROMPT_SOURCE_PLACEHOLDERS.has(source)) {
    throw invalidParameter(`Invalid prompt source: '${source}'. Prompt sources must use an MLflow placeholder.`);
  }
}

/** Refuses URIs that would make the server connect to a host a client named. */
export function checkSourceScheme(source: string): void {
  const scheme = hostAddressedScheme(source);
  if (scheme) {
    throw invalidParameter(
      `'source' cannot use the '${scheme}' scheme: the '${scheme}' scheme addresses a host other than the tracking ` +
        "server's configured artifact storage, so the server would connect to the host named in the URI.",
    );
  }
}

function checkRemote(source: string): void {
  if (isLocalUri(source)) {
    throw invalidParameter(
      `Invalid model version source: '${source}'. A path on the server's file system cannot be a model version ` +
        'source; register the run or logged model artifacts instead (runs:/<run_id>/<path>, models:/<model_id>, ' +
        'mlflow-artifacts:/…) or a remote URI such as s3://bucket/path.',
    );
  }
  if (hasRelativeOrUnsafePath(source)) {
    throw invalidParameter(
      `Invalid model version source: '${source}'. If supplying a source as an http, https, local file path, ftp, ` +
        'objectstore, or mlflow-artifacts uri, an absolute path must be provided without relative path references ' +
        'present. Please provide an absolute path.',
    );
  }
}

/** A version registered from a run: `runs:/` must name that run; proxied artifacts must lie under its root. */
export function checkSourceOfRun(source: string, runId: string | undefined, lineage: ModelVersionLineage): void {
  checkRemote(source);
  const { scheme, netloc } = splitUri(source);
  if (scheme === 'runs') {
    if (netloc || !runId || runIdOfRunsUri(source) !== runId) throw invalidSource(source, 'run_id');
    return;
  }
  if (scheme === 'models') {
    const parsed = parseModelUri(source);
    if (netloc || !parsed || 'modelId' in parsed) throw invalidSource(source, 'model_id');
  }
  if (isMlflowArtifactSource(source)) {
    const run = lineage.run;
    if (!runId || !run || run.run_id !== runId || !isUriWithinRoot(source, run.artifact_uri)) throw invalidSource(source, 'run_id');
  }
}

/** A version registered from a logged model: `models:/<id>` must name it; proxied artifacts must lie under it. */
export function checkSourceOfModel(source: string, modelId: string, lineage: ModelVersionLineage): void {
  checkRemote(source);
  const { scheme, netloc } = splitUri(source);
  if (scheme === 'models') {
    const parsed = parseModelUri(source);
    if (netloc || !parsed) throw invalidSource(source, 'model_id');
    if ('modelId' in parsed) {
      if (parsed.modelId !== modelId) throw invalidSource(source, 'model_id');
      return;
    }
  }
  if (scheme === 'runs') throw invalidSource(source, 'model_id');
  if (isMlflowArtifactSource(source)) {
    const model = lineage.logged_model;
    if (!model || model.model_id !== modelId || !isUriWithinRoot(source, model.artifact_uri)) {
      throw invalidSource(source, 'model_id');
    }
  }
}
