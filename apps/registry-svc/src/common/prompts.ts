import type { Tag } from '@cairn/contracts';

/** Prompts are registered models with this tag set to 'true' (MLflow 3 prompt registry). */
export const IS_PROMPT_TAG_KEY = 'mlflow.prompt.is_prompt';

/** The last value of a repeated key wins, and only 'true' (any case) makes a prompt. */
export function isPromptTags(tags: readonly Tag[] | undefined): boolean {
  const value = [...(tags ?? [])].reverse().find((t) => t.key === IS_PROMPT_TAG_KEY)?.value;
  return value?.toLowerCase() === 'true';
}

/**
 * MLflow's rule: prompts are hidden unless the first clause on the prompt tag asks for them
 * (`= 'true'` or `!= 'false'`); when hidden, clauses on that tag are dropped.
 */
export function asksForPrompts(clauses: readonly { entity: string; key: string; comparator: string; value: unknown }[]): boolean {
  const clause = clauses.find((c) => c.entity === 'tag' && c.key === IS_PROMPT_TAG_KEY);
  if (!clause || typeof clause.value !== 'string') return false;
  const value = clause.value.toLowerCase();
  return (clause.comparator === '=' && value === 'true') || (clause.comparator === '!=' && value === 'false');
}
