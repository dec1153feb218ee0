import { existsSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { Pool } from 'pg';
import { proxiedArtifactRoot } from '@cairn/artifact-path';
import type { ArtifactStore } from '@cairn/artifact-svc';
import { createArtifactStore } from '@cairn/artifact-svc';
import type { ArtifactDestination } from '@cairn/config';
import { configOrExit, maskUrl, readServerConfig } from '@cairn/config';
import { JsonLogger } from '@cairn/nest-common';
import { EmbeddedDatabase } from '../all-in-one/embedded-postgres';
import { upgradeAll } from '../database/upgrade';
import { HomeLock } from '../all-in-one/home-lock';

const AGE = /^(?:([\d.]+)d)?(?:([\d.]+)h)?(?:([\d.]+)m)?(?:([\d.]+)s)?$/;
const UNIT_MS = [86_400_000, 3_600_000, 60_000, 1_000];

/** MLflow's `--older-than` grammar: `30d`, `8h`, `2d8h5m20s`, … in milliseconds. */
export function parseAge(text: string): number {
  const match = AGE.exec(text.trim());
  if (!text.trim() || !match) throw new InvalidArgumentError(`expected a duration such as 30d, 8h or 2d8h5m20s, got '${text}'`);
  const ms = match.slice(1).reduce((sum, part, i) => sum + (part === undefined ? 0 : Number(part) * (UNIT_MS[i] ?? 0)), 0);
  if (!Number.isFinite(ms)) throw new InvalidArgumentError(`'${text}' is not a duration`);
  return Math.round(ms);
}

interface DoomedRun {
  pk: string;
  run_id: string;
  experiment_id: string;
  artifact_uri: string;
}
interface DoomedExperiment {
  experiment_id: string;
  name: string;
}
interface DoomedModel {
  model_id: string;
  experiment_id: string;
  artifact_location: string;
}

export interface GcReport {
  runs: string[];
  experiments: string[];
  loggedModels: string[];
}

/**
 * Hard-deletes what was soft-deleted before `cutoff` (ms since the epoch): runs, and experiments
 * with every run and logged model in them, each one's artifacts first (so a failure leaves the
 * row, and the next gc retries). The default experiment '0' is never removed. With `dryRun`, only
 * says what it would remove.
 */
export async function collectGarbage(
  pool: Pool,
  store: ArtifactStore,
  options: { cutoff: number; dryRun: boolean },
  print: (line: string) => void,
): Promise<GcReport> {
  const verb = options.dryRun ? 'Would delete' : 'Deleted';
  const experiments = (
    await pool.query<DoomedExperiment>(
      `SELECT experiment_id::text, name FROM tracking.experiments
        WHERE lifecycle_stage = 'deleted' AND deleted_time < $1 AND experiment_id <> 0 ORDER BY experiment_id`,
      [options.cutoff],
    )
  ).rows;
  const experimentIds = experiments.map((e) => e.experiment_id);
  const runs = (
    await pool.query<DoomedRun>(
      `SELECT run_id::text AS pk, run_uuid AS run_id, experiment_id::text, artifact_uri FROM tracking.runs
        WHERE (lifecycle_stage = 'deleted' AND deleted_time < $1) OR experiment_id = ANY($2::bigint[]) ORDER BY run_id`,
      [options.cutoff, experimentIds],
    )
  ).rows;
  const models = (
    await pool.query<DoomedModel>(
      `SELECT model_id, experiment_id::text, artifact_location FROM tracking.logged_models
        WHERE experiment_id = ANY($1::bigint[]) ORDER BY model_id`,
      [experimentIds],
    )
  ).rows;

  for (const run of runs) {
    const where = await removeArtifacts(store, run.artifact_uri, options.dryRun);
    if (!options.dryRun) await pool.query('DELETE FROM tracking.runs WHERE run_id = $1', [run.pk]);
    print(`${verb} run ${run.run_id} (experiment ${run.experiment_id}) and ${where}`);
  }
  for (const model of models) {
    const where = await removeArtifacts(store, model.artifact_location, options.dryRun);
    print(`${verb} logged model ${model.model_id} (experiment ${model.experiment_id}) and ${where}`);
  }
  for (const experiment of experiments) {
    if (!options.dryRun) await deleteExperiment(pool, experiment.experiment_id);
    print(`${verb} experiment ${experiment.experiment_id} '${experiment.name}'`);
  }
  return { runs: runs.map((r) => r.run_id), experiments: experimentIds, loggedModels: models.map((m) => m.model_id) };
}

/** The experiment row, and with it (ON DELETE CASCADE) its tags, datasets and logged models. */
async function deleteExperiment(pool: Pool, experimentId: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('DELETE FROM tracking.runs WHERE experiment_id = $1', [experimentId]);
    await client.query(`DELETE FROM tracking.experiments WHERE experiment_id = $1 AND lifecycle_stage = 'deleted'`, [experimentId]);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** Deletes everything under a proxied root; roots Cairn does not serve (s3://… chosen by a client) are left alone. */
async function removeArtifacts(store: ArtifactStore, uri: string, dryRun: boolean): Promise<string> {
  let key: string | undefined;
  try {
    key = proxiedArtifactRoot(uri);
  } catch {
    key = undefined;
  }
  if (key === undefined || key === '') return `not its artifacts at ${uri} (not in Cairn's artifact store; remove them there)`;
  if (!dryRun) await store.delete(key);
  return `its artifacts (${key})`;
}

export interface GcFlags {
  olderThan?: number;
  dryRun?: boolean;
  home?: string;
}

/**
 * `cairn gc`: against CAIRN_DATABASE_URL and CAIRN_ARTIFACTS_DESTINATION (distributed), or the
 * embedded PostgreSQL and artifacts of a stopped all-in-one server under CAIRN_HOME.
 */
export async function gcCommand(flags: GcFlags): Promise<void> {
  const config = configOrExit(() => readServerConfig({ home: flags.home }));
  if (config.databaseUrl && config.artifacts.kind === 'file' && !existsSync(config.artifacts.root)) {
    // deleting the rows while their artifacts sit elsewhere would orphan the artifacts for good
    throw new Error(
      `The artifact destination ${config.artifacts.root} does not exist. Set CAIRN_ARTIFACTS_DESTINATION ` +
        "(and CAIRN_S3_* for s3://) to artifact-svc's, as for artifact-svc itself.",
    );
  }
  const logger = new JsonLogger('cairn-gc', 'warn');
  const olderThan = flags.olderThan ?? 0;
  let lock: HomeLock | undefined;
  let embedded: EmbeddedDatabase | undefined;
  let pool: Pool | undefined;
  const store = createArtifactStore(config.artifacts);
  try {
    let databaseUrl = config.databaseUrl;
    if (!databaseUrl) {
      // all-in-one: its server is stopped (the lock says so), so gc is the only user and may upgrade
      lock = await HomeLock.acquire(config.home);
      embedded = await EmbeddedDatabase.start(config.home, config.embeddedPostgresPort, logger);
      databaseUrl = embedded.url;
      await upgradeAll({ databaseUrl, poolSize: 1 });
    }
    pool = new Pool({ connectionString: databaseUrl, max: 2, application_name: 'cairn-gc' });
    pool.on('error', (err) => logger.debug(`database connection closed: ${err.message}`, 'Gc'));
    const cutoff = Date.now() - olderThan;
    console.log(
      `${flags.dryRun ? 'Dry run: nothing is deleted. ' : ''}Garbage collection in ${maskUrl(databaseUrl)}, artifacts in ` +
        `${describe(config.artifacts)}: what was soft-deleted before ${new Date(cutoff).toISOString()}.`,
    );
    const report = await collectGarbage(pool, store, { cutoff, dryRun: !!flags.dryRun }, (line) => console.log(line));
    const counts = `${report.runs.length} run(s), ${report.experiments.length} experiment(s), ${report.loggedModels.length} logged model(s)`;
    console.log(flags.dryRun ? `Would remove ${counts}.` : `Removed ${counts}.`);
  } finally {
    await pool?.end();
    await store.close();
    await embedded?.stop();
    await lock?.release();
  }
  // embedded-postgres leaves a process 'exit' hook that fails when the process ends on its own
  if (embedded) process.exit(0);
}

const describe = (destination: ArtifactDestination) =>
  destination.kind === 'file' ? `file://${destination.root}` : `s3://${destination.bucket}/${destination.prefix}`;
