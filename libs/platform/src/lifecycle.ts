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

/**
 * Runs `work` every `ms` until stopped. A tick is skipped while the previous run is still going,
 * so runs never overlap; a failure is reported and the next tick tries again. The returned stop
 * waits for a run in progress.
 */
export function repeatEvery(ms: number, work: () => Promise<unknown>, onError: (error: unknown) => void): () => Promise<void> {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    running ??= work()
      .then(() => undefined, onError)
      .finally(() => {
        running = undefined;
      });
  }, ms);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
