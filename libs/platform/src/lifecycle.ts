import type { Logger } from 'pino';

/**
 * Runs the stop steps in order on SIGTERM/SIGINT (HTTP first, then consumers, then pools),
 * then exits 0. A second signal or a step hanging past the grace period exits 1.
 */
export function onShutdown(logger: Logger, steps: ReadonlyArray<readonly [string, () => Promise<unknown>]>, graceMs = 15_000): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal, exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error('shutdown grace period exceeded');
      process.exit(1);
    }, graceMs).unref();
    for (const [name, step] of steps) {
      try {
        await step();
        logger.info({ step: name }, 'stopped');
      } catch (error) {
        logger.error({ err: error, step: name }, 'stop step failed');
      }
    }
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
