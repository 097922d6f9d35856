import { adminConnection } from './database';

const SAMPLE_MS = 500;

export interface RedoLogFill {
  /** Highest checkpoint age seen, as a share of the redo log (0–1); undefined where the server does not report it. */
  maxShare: number | undefined;
}

/**
 * Samples how full MariaDB's redo log is while a scenario runs: the checkpoint
 * age (redo written but not yet checkpointed) over `innodb_log_file_size`.
 * Past roughly three quarters the server flushes pages in bursts and, near
 * the end of the log, holds every write until it has (docs/performance.md), so
 * a lag tail that coincides with a high fill is the database's, not the service's.
 */
export function sampleRedoLogFill(adminUrl: string): { stop(): Promise<RedoLogFill> } {
  const admin = adminConnection(adminUrl);
  let logSize: number | undefined;
  let maxAge: number | undefined;
  let stopped = false;
  const loop = (async () => {
    try {
      const [size] = (await admin.raw("SHOW GLOBAL VARIABLES LIKE 'innodb_log_file_size'")) as [
        { Value: string }[],
      ];
      logSize = Number(size[0]?.Value) || undefined;
      while (!stopped) {
        const [age] = (await admin.raw("SHOW GLOBAL STATUS LIKE 'Innodb_checkpoint_age'")) as [
          { Value: string }[],
        ];
        // MySQL has no such status variable: then there is nothing to report.
        if (age[0] === undefined) return;
        maxAge = Math.max(maxAge ?? 0, Number(age[0].Value));
        await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
      }
    } catch {
      maxAge = undefined;
    }
  })();
  let result: Promise<RedoLogFill> | undefined;
  return {
    // Idempotent: a finally block may stop it again after a run that already did.
    stop() {
      result ??= (async () => {
        stopped = true;
        await loop;
        await admin.destroy();
        return {
          maxShare: logSize !== undefined && maxAge !== undefined ? maxAge / logSize : undefined,
        };
      })();
      return result;
    },
  };
}
