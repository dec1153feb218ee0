#!/usr/bin/env node
import 'reflect-metadata';
import { Command, InvalidArgumentError } from 'commander';
import { dbUpgradeCommand } from './commands/db-upgrade.command';
import type { GcFlags } from './commands/gc.command';
import { gcCommand, parseAge } from './commands/gc.command';
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

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
