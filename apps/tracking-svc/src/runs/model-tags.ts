import { invalidParameter } from '@cairn/contracts';
import { pyJsonDumps, pyStr } from '../logged-models/py-format';

export { pyJsonDumps };

export type PyValue = Parameters<typeof pyJsonDumps>[0];

/**
 * MLflow's `Model.from_dict(model_json).get_tags_dict()`, what a 2.x log-model call appends to
 * the run's history tag: run_id, artifact_path, utc_time_created and model_uuid (null when the
 * JSON has none), in that order, then the flavors, each without its "config".
 * `utc_time_created` goes through Python's `str(value or datetime.utcnow())`.
 */
export function modelTagsDict(model: Record<string, unknown>, now: Date = new Date()): Record<string, PyValue> {
  const flavors = model['flavors'] ?? {};
  if (typeof flavors !== 'object' || Array.isArray(flavors)) throw invalidParameter('Malformed model info: flavors must be a JSON object.');
  return {
    run_id: model['run_id'] as PyValue,
    artifact_path: model['artifact_path'] as PyValue,
    utc_time_created: isPyFalsy(model['utc_time_created']) ? pyUtcNow(now) : pyStr(model['utc_time_created'] as PyValue),
    model_uuid: (model['model_uuid'] ?? null) as PyValue,
    flavors: Object.fromEntries(
      Object.entries(flavors as Record<string, unknown>).map(([name, config]) => [name, withoutConfig(config) as PyValue]),
    ),
  };
}

function withoutConfig(config: unknown): unknown {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) return config;
  const { config: _dropped, ...rest } = config as Record<string, unknown>;
  return rest;
}

function isPyFalsy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

/** `str(datetime.now(timezone.utc).replace(tzinfo=None))`: `2026-01-02 03:04:05.678000`. */
function pyUtcNow(now: Date): string {
  const iso = now.toISOString(); // 2026-01-02T03:04:05.678Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${iso.slice(20, 23)}000`;
}
