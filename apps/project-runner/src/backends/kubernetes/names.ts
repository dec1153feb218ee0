/** Labels every Job (and its pods) that Cairn creates carries. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'cairn';
export const RUN_ID_LABEL = 'cairn.dev/run-id';
/** The run's image-pull grace, kept on the Job so a re-attached watcher applies the same one. */
export const PULL_GRACE_ANNOTATION = 'cairn.dev/image-pull-grace-seconds';
export const DEFAULT_IMAGE_PULL_GRACE_SECONDS = 120;
/** Set by the Job controller on every pod of a Job (also as `batch.kubernetes.io/job-name` since 1.27). */
export const JOB_NAME_POD_LABEL = 'job-name';

const MAX_NAME = 63;

/** Lowercase, `[a-z0-9-]` only, no leading, trailing or repeated `-`; at most `max` characters. */
export function dns1123Label(text: string, max = MAX_NAME): string {
  const cleaned = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+/, '');
  return cleaned.slice(0, max).replace(/-+$/, '');
}

/**
 * `cairn-<project>-<first 8 of the run id>`: a valid DNS-1123 label of at most 63 characters (the
 * Job controller copies it into the pods' `job-name` label, whose values stop at 63).
 */
export function jobNameFor(projectName: string | null, runId: string): string {
  const id = dns1123Label(runId).slice(0, 8).replace(/-+$/, '') || 'run';
  const budget = MAX_NAME - 'cairn-'.length - id.length - 1;
  const project = projectName ? dns1123Label(projectName, budget) : '';
  return project ? `cairn-${project}-${id}` : `cairn-${id}`;
}

/** The first container's name: the project's name, as MLflow names it, made a valid label. */
export function containerNameFor(projectName: string | null): string {
  return (projectName && dns1123Label(projectName)) || 'run';
}
