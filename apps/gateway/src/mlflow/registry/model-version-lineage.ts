import type { LoggedModelResponse, ModelVersionLineage, RunResponse } from '@cairn/contracts';
import { CairnError, ErrorCode, LoggedModelPatterns, TrackingPatterns } from '@cairn/contracts';
import type { ServiceClient } from '@cairn/nest-common';

/** tracking-svc's "no such thing" answers; anything else (unavailable, timeout) fails the request. */
const missing = (err: unknown) => {
  if (err instanceof CairnError && (err.code === ErrorCode.RESOURCE_DOES_NOT_EXIST || err.code === ErrorCode.INVALID_PARAMETER_VALUE)) {
    return null;
  }
  throw err;
};

/**
 * The run and the MLflow 3 logged model a new model version names, fetched from tracking-svc so
 * registry-svc can check the source against them (and take a `models:/<model_id>` version's
 * storage location from the logged model) without calling tracking itself.
 */
export async function lineageOf(services: ServiceClient, message: { run_id?: string; model_id?: string }): Promise<ModelVersionLineage> {
  const { run_id: runId, model_id: modelId } = message;
  const [run, loggedModel] = await Promise.all([
    runId
      ? services
          .call<RunResponse>(TrackingPatterns.runs.get, { run_id: runId })
          .then(({ run }) => ({ run_id: run.info.run_id, artifact_uri: run.info.artifact_uri }), missing)
      : undefined,
    modelId
      ? services.call<LoggedModelResponse>(LoggedModelPatterns.get, { model_id: modelId }).then(
          ({ model }) => ({ model_id: model.info.model_id, artifact_uri: model.info.artifact_uri, source_run_id: model.info.source_run_id }),
          missing,
        )
      : undefined,
  ]);
  return { ...(run !== undefined && { run }), ...(loggedModel !== undefined && { logged_model: loggedModel }) };
}

const MODEL_VERSIONS_TAG = 'mlflow.modelVersions';

/**
 * MLflow's server records on the logged model which registered versions came from it (the
 * `mlflow.modelVersions` tag, a JSON list of {name, version}), after the version is committed.
 * Once registry events are published, tracking-svc can do this itself, durably.
 */
export async function linkToLoggedModel(services: ServiceClient, modelId: string, name: string, version: string): Promise<void> {
  const { model } = await services.call<LoggedModelResponse>(LoggedModelPatterns.get, { model_id: modelId }).catch(missing) ?? {};
  if (!model) return;
  const entry = { name, version };
  const existing = model.info.tags.find((t) => t.key === MODEL_VERSIONS_TAG)?.value;
  const list: unknown[] = existing ? (JSON.parse(existing) as unknown[]) : [];
  if (list.some((e) => JSON.stringify(e) === JSON.stringify(entry))) return;
  const value = pythonJson([...list, entry]);
  await services.call(LoggedModelPatterns.setTags, { model_id: modelId, tags: [{ key: MODEL_VERSIONS_TAG, value }] });
}

/** Python's json.dumps spacing and ASCII escapes, so the tag reads as MLflow writes it. */
function pythonJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${pythonJson(k)}: ${pythonJson(v)}`).join(', ')}}`;
  }
  return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
