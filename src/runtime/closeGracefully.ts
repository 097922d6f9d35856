import type { Logger } from 'pino';

/** One thing to stop: close a server, drain a consumer, destroy a pool. */
export type StopStep = () => Promise<void>;

export interface GracefulStop {
  /**
   * Adds steps to run in the given order when the process stops, before
   * those added earlier: what started last stops first.
   */
  onStop(...steps: StopStep[]): void;
}

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Stops the process in order on SIGTERM or SIGINT (exit 0) or on an uncaught
 * error (logged at fatal, exit 1), bounded by the shutdown timeout plus 2 s
 * (exit 1). Installed first thing, so that a stop during start-up runs the
 * steps added so far. A repeated signal does not cut the stop short: under
 * `npm start` one Ctrl-C arrives twice (from the terminal and forwarded by
 * npm), which is why close-with-grace, whose second signal exits at once,
 * does not fit here.
 */
export function closeGracefully(log: Logger, timeoutMs: number): GracefulStop {
  const groups: StopStep[][] = [];
  let stopping = false;

  const stop = async (reason: { signal: string } | { error: unknown }) => {
    if (stopping) {
      if ('error' in reason) log.error({ err: reason.error }, 'uncaught error while stopping');
      return;
    }
    stopping = true;
    const failed = 'error' in reason;
    if (failed) log.fatal({ err: reason.error }, 'uncaught error: shutting down');
    else log.info({ signal: reason.signal }, 'shutting down');
    const timer = setTimeout(() => {
      log.error({ timeoutMs }, 'shutdown timed out');
      process.exit(1);
    }, timeoutMs + 2000);
    timer.unref();
    for (const group of [...groups].reverse()) {
      for (const step of group) {
        try {
          await step();
        } catch (error) {
          log.error({ err: error }, 'shutdown step failed');
        }
      }
    }
    log.info('stopped');
    process.exit(failed ? 1 : 0);
  };

  for (const signal of SIGNALS) process.on(signal, () => void stop({ signal }));
  // Any reason counts, even `Promise.reject()` with none: the process is in doubt.
  process.on('uncaughtException', (error) => void stop({ error }));
  process.on('unhandledRejection', (error) => void stop({ error }));
  return { onStop: (...steps) => void groups.push(steps) };
}
