#!/usr/bin/env node
import 'reflect-metadata';
import { Command, InvalidArgumentError } from 'commander';
import { dbUpgradeCommand } from './commands/db-upgrade.command';
import type { GcFlags } from './commands/gc.command';
import { gcCommand, parseAge } from './commands/gc.command';
import type { RunFlags } from './commands/run.command';
import { runCommand } from './commands/run.command';
import { collectKeyValue, collectSweep, parsePositiveInt, readBackendConfig } from './commands/run-options';
import type { RunsFlags } from './commands/runs.command';
import { runsCancelCommand, runsListCommand, runsLogsCommand, runsStatusCommand } from './commands/runs.command';
import { serverCommand } from './commands/server.command';

const parsePort = (value: string) => {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('expected a port number (0-65535)');
  return port;
};

const program = new Command('cairn').description('Cairn: the machine-learning lifecycle platform that speaks MLflow').showHelpAfterError();

program
  .command('server')
  .description('run the whole platform in one process (embedded PostgreSQL unless CAIRN_DATABASE_URL is set)')
  .option('-p, --port <port>', 'HTTP port (env CAIRN_PORT, default 5000)', parsePort)
  .option('-h, --host <host>', 'interface to listen on (env CAIRN_HOST, default 127.0.0.1)')
  .option('--home <dir>', 'data directory (env CAIRN_HOME, default ./.cairn)')
  .action((opts: { port?: number; host?: string; home?: string }) => serverCommand(opts));

const db = program.command('db').description('database administration');
db.command('upgrade')
  .description("apply every service's pending schema migrations to CAIRN_DATABASE_URL")
  .action(() => dbUpgradeCommand());

program
  .command('gc')
  .description('permanently delete soft-deleted runs and experiments, with their artifacts')
  .option('--older-than <age>', 'only what was deleted at least this long ago: 30d, 8h, 2d8h5m20s (default: all of it)', parseAge)
  .option('--dry-run', 'list what would be removed; remove nothing')
  .option('--home <dir>', 'data directory of a stopped all-in-one server, when CAIRN_DATABASE_URL is not set (env CAIRN_HOME)')
  .action((opts: GcFlags) => gcCommand(opts));

const exitWith = (run: Promise<number>) =>
  run.then((code) => process.exit(code)).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
const trackingUriHelp = 'the Cairn to talk to (env MLFLOW_TRACKING_URI, default http://127.0.0.1:5000)';

program
  .command('run')
  .description('run an MLflow project (a directory or git URI, optionally #subdir) and follow it to its end')
  .argument('<uri>', 'project directory, or git URI such as https://host/repo.git#sub/dir')
  .option('-e, --entry-point <name>', 'entry point', 'main')
  .option('-v, --version <version>', 'git commit, branch or tag')
  .option('-P, --param-list <key=value>', 'a parameter (repeatable)', collectKeyValue)
  .option('--experiment-name <name>', 'experiment to run in (created if missing)')
  .option('--experiment-id <id>', 'experiment id to run in')
  .option('--run-name <name>', 'name of the run (of the parent run for a sweep)')
  .option('-b, --backend <backend>', 'local or kubernetes', 'local')
  .option('-c, --backend-config <json-or-file>', 'backend settings as JSON or a JSON file (kubernetes)', (v) => readBackendConfig(v))
  .option('--env-manager <manager>', 'virtualenv (default for python_env projects) or local')
  .option('--sweep <key=v1,v2,...>', 'sweep a parameter over values; several --sweep make a grid (repeatable)', collectSweep)
  .option('--parallel <n>', 'run at most n sweep runs at a time', parsePositiveInt)
  .option('--tracking-uri <uri>', trackingUriHelp)
  .option('--detach', 'print the run id and return without following the run')
  .action((uri: string, opts: RunFlags) => exitWith(runCommand(uri, opts)));

const runs = program.command('runs').description('project runs: status, output, cancellation');
runs.command('status').argument('<run-id>').option('--tracking-uri <uri>', trackingUriHelp).description("a project run's state as JSON")
  .action((id: string, opts: RunsFlags) => exitWith(runsStatusCommand(id, opts)));
runs.command('logs').argument('<run-id>').option('-f, --follow', 'keep printing until the run ends').option('--tracking-uri <uri>', trackingUriHelp)
  .description("a project run's output (the process's, or the Kubernetes pod's)")
  .action((id: string, opts: RunsFlags) => exitWith(runsLogsCommand(id, opts)));
runs.command('cancel').argument('<run-id>').option('--tracking-uri <uri>', trackingUriHelp)
  .description('stop a project run (kills its process tree or deletes its Job); it ends KILLED')
  .action((id: string, opts: RunsFlags) => exitWith(runsCancelCommand(id, opts)));
runs.command('list').option('--tracking-uri <uri>', trackingUriHelp).description('the newest project runs')
  .action((opts: RunsFlags) => exitWith(runsListCommand(opts)));

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
