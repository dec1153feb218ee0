/**
 * Shapes a service response the way MLflow's `message_to_json` does: unset fields (undefined or
 * null) and empty repeated fields are left out. int64 values stay JSON numbers.
 */
export function toWireJson<T>(value: T): T {
  return prune(value) as T;
}

function prune(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(prune);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) continue;
    out[key] = prune(v);
  }
  return out;
}
