/**
 * Older clients name a run `run_uuid`; newer ones `run_id` (both are always the same value). The
 * services only know `run_id`.
 */
export function withRunId(message: unknown): unknown {
  if (message === null || typeof message !== 'object' || Array.isArray(message)) return message;
  const m = message as Record<string, unknown>;
  return m.run_id === undefined || m.run_id === '' ? { ...m, run_id: m.run_uuid } : m;
}
