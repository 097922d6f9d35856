import { afterEach, describe, expect, it, vi } from 'vitest';
import { TimeoutError, withTimeout } from './withTimeout';

describe('withTimeout', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('given work that settles in time, when bounded, then it resolves with the work and leaves no timer', async () => {
    vi.useFakeTimers();
    await expect(withTimeout(Promise.resolve(7), 1000, 'answer')).resolves.toBe(7);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('given work that fails in time, when bounded, then its own error comes through', async () => {
    const failure = new Error('refused');
    await expect(withTimeout(Promise.reject(failure), 1000, 'answer')).rejects.toBe(failure);
  });

  it('given work that outlasts the bound, when bounded, then it rejects with a TimeoutError naming what and how long', async () => {
    vi.useFakeTimers();
    const outcome = withTimeout(new Promise<never>(() => {}), 2000, 'no answer');
    const seen = expect(outcome).rejects.toThrow(new TimeoutError('no answer within 2000 ms'));
    await vi.advanceTimersByTimeAsync(2000);
    await seen;
    await expect(outcome).rejects.toBeInstanceOf(TimeoutError);
  });
});
