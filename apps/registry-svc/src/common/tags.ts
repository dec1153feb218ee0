import type { Tag } from '@cairn/contracts';
import { validateRegistryTag } from './names';

/** Validates each tag; a key given twice keeps its last value, as MLflow's stores do. */
export function validateTags(tags: readonly Tag[] | undefined): Tag[] {
  const byKey = new Map<string, string>();
  for (const tag of tags ?? []) {
    validateRegistryTag(tag.key, tag.value);
    byKey.set(tag.key, tag.value ?? '');
  }
  return [...byKey].map(([key, value]) => ({ key, value }));
}

export const tagRecord = (tags: readonly Tag[]) => Object.fromEntries(tags.map((t) => [t.key, t.value]));
