import { describe, expect, it, vi } from 'vitest';
import { backoffDelay, sleep } from './backoff';

describe('backoffDelay', () => {
  it('doubles from the initial delay and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, 1000, 10_000))).toEqual([
      1000, 2000, 4000, 8000, 10_000, 10_000,
    ]);
  });

  it('stays finite for absurd attempt counts', () => {
    expect(backoffDelay(10_000, 1000, 30_000)).toBe(30_000);
  });
});

describe('sleep', () => {
  it('given a signal that aborts, when sleeping 10 s, then it resolves at once', async () => {
    vi.useFakeTimers();
    try {
      const controller = new AbortController();
      let resolved = false;
      const slept = sleep(10_000, controller.signal).then(() => (resolved = true));
      await vi.advanceTimersByTimeAsync(5_000);
      expect(resolved).toBe(false);
      controller.abort();
      await slept;
      expect(resolved).toBe(true);
      // Resolved by the abort: no timer of the sleep is left behind.
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
