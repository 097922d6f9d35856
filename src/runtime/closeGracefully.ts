import closeWithGrace from 'close-with-grace';
import type { Logger } from 'pino';

/**
 * Stops everything in order on a termination signal or an uncaught error,
 * bounded by the shutdown timeout; a second signal exits at once.
 */
export function closeGracefully(
  log: Logger,
  timeoutMs: number,
  steps: (() => Promise<void>)[],
): void {
  closeWithGrace(
    {
      delay: timeoutMs + 2000,
      logger: false,
      onTimeout: () => log.error({ timeoutMs }, 'shutdown timed out'),
      onSecondSignal: (signal) =>
        log.error({ signal }, 'second signal while stopping: exiting now'),
      onSecondError: (error) => log.fatal({ err: error }, 'error while stopping: exiting now'),
    },
    async ({ signal, err }) => {
      if (err) log.fatal({ err }, 'uncaught error: shutting down');
      else log.info({ signal }, 'shutting down');
      for (const step of steps) {
        try {
          await step();
        } catch (error) {
          log.error({ err: error }, 'shutdown step failed');
        }
      }
      log.info('stopped');
    },
  );
}
