import type { Logger } from '../kernel/logger.ts';

/**
 * Runs until SIGINT or SIGTERM, then stops — within the grace period (`SHUTDOWN_GRACE_SECONDS`).
 * A stop that hangs (a request that never ends, a stuck connection) or anything left running
 * after it must not keep the process alive: past the grace, or at a second signal, it logs
 * why and exits 1, so an orchestrator's SIGTERM always ends the process.
 */
export async function runUntilSignal(options: {
  stop: () => Promise<void>;
  logger: Logger;
  graceSeconds: number;
}): Promise<void> {
  const { logger, graceSeconds } = options;
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  logger.info({ signal, graceSeconds }, 'stopping');
  const forceExit = (why: string) => {
    logger.error({ graceSeconds }, `${why}: exiting now`);
    process.exit(1);
  };
  // Unref'd: it never keeps the process alive itself, but fires if something else does.
  setTimeout(() => forceExit('still running after SHUTDOWN_GRACE_SECONDS'), graceSeconds * 1000).unref();
  process.once('SIGINT', () => forceExit('second signal while stopping'));
  process.once('SIGTERM', () => forceExit('second signal while stopping'));
  await options.stop();
}
