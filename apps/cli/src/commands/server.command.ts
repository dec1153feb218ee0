import type { ServerFlags } from '@cairn/config';
import { configOrExit, readServerConfig } from '@cairn/config';
import { JsonLogger } from '@cairn/nest-common';
import { AllInOneServer } from '../all-in-one/all-in-one.server';

const SHUTDOWN_DEADLINE_MS = 25_000;

/** Runs until SIGINT/SIGTERM, then shuts down in order and exits 0. */
export async function serverCommand(flags: ServerFlags): Promise<void> {
  const config = configOrExit(() => readServerConfig(flags));
  const logger = new JsonLogger('cairn', config.logLevel);
  const server = new AllInOneServer(config, logger);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`Received ${signal}; shutting down`, 'Server');
    setTimeout(() => {
      logger.error('Shutdown took too long; exiting', 'Server');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    try {
      await server.stop();
      logger.log('Stopped', 'Server');
      process.exit(0);
    } catch (err) {
      logger.error(err instanceof Error ? err : String(err), 'Server');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  try {
    const url = await server.start();
    logger.log(`Cairn is ready at ${url} (data in ${config.home})`, 'Server');
  } catch (err) {
    logger.error(err instanceof Error ? err.message : String(err), 'Server');
    await server.stop().catch(() => undefined);
    process.exit(1);
  }
}
