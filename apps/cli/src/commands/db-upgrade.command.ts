import { configOrExit, maskUrl, readDatabaseConfig } from '@cairn/config';
import { upgradeAll } from '../database/upgrade';

/** `cairn db upgrade`: run by an operator or the Helm hook Job, never by each replica. */
export async function dbUpgradeCommand(): Promise<void> {
  const config = configOrExit(() => readDatabaseConfig());
  const reports = await upgradeAll(config);
  console.log(`Upgraded ${maskUrl(config.databaseUrl)}`);
  for (const { schema, applied } of reports) {
    const what = applied.length ? applied.map((m) => `${m.version} ${m.name}`).join(', ') : 'already current';
    console.log(`  ${schema}: ${what}`);
  }
}
