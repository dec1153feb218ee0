/**
 * Shapes a service response the way MLflow's `message_to_json` does: unset fields (undefined or
 * null) and empty repeated fields are left out. int64 values stay JSON numbers.
 */
export function toWireJson<T>(value: T): T {
  return prune(value) as T;
}

const isDropped = (v: unknown) => v === undefined || v === null || (Array.isArray(v) && v.length === 0);

/**
 * Copies only what changes: an object or array with nothing to drop (the common case, e.g. each
 * of 25,000 metric points in a history page) is returned as it is.
 */
function prune(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const next = prune(value[i]);
      if (next !== value[i]) (copy ??= value.slice())[i] = next;
    }
    return copy ?? value;
  }
  let copy: Record<string, unknown> | undefined;
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    if (isDropped(v)) {
      copy ??= { ...(value as Record<string, unknown>) };
      delete copy[key];
      continue;
    }
    const next = prune(v);
    if (next !== v) (copy ??= { ...(value as Record<string, unknown>) })[key] = next;
  }
  return copy ?? value;
}
