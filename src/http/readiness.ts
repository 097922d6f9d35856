import { withTimeout } from '../withTimeout';

/** One thing /readyz asks, e.g. "database" or "broker". */
export interface ReadinessCheck {
  name: string;
  /** Resolves when healthy; throws (or rejects) when not. */
  check(): Promise<void> | void;
}

export type CheckResult = 'ok' | 'failing';

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, CheckResult>;
  failing: string[];
}

export const READINESS_TIMEOUT_MS = 2000;

/**
 * Runs every check at once, each bounded by a timeout so that a hung database
 * makes the probe fail rather than hang. `onFailure` sees the error (for the
 * log); the report only names the check, since errors can carry hosts or users.
 */
export async function runReadinessChecks(
  checks: readonly ReadinessCheck[],
  onFailure: (name: string, error: unknown) => void,
  timeoutMs = READINESS_TIMEOUT_MS,
): Promise<ReadinessReport> {
  const outcomes = await Promise.all(
    checks.map(async ({ name, check }) => {
      try {
        await withTimeout(Promise.resolve().then(check), timeoutMs, 'no answer');
        return [name, 'ok'] as const;
      } catch (error) {
        onFailure(name, error);
        return [name, 'failing'] as const;
      }
    }),
  );
  const failing = outcomes.filter(([, result]) => result === 'failing').map(([name]) => name);
  return { ready: failing.length === 0, checks: Object.fromEntries(outcomes), failing };
}
