/**
 * Delay before retry number `attempt` (1-based): initial, 2x, 4x... capped.
 * Deterministic on purpose: there is one consumer loop per process and the
 * broker already spreads redeliveries, so jitter would only blur the logs.
 */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number): number {
  const exponent = Math.max(0, attempt - 1);
  return Math.min(maxMs, initialMs * 2 ** Math.min(exponent, 30));
}

/** Resolves after `ms`, or at once when `signal` aborts (shutdown must not wait out a backoff). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
