import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Batcher } from './batcher';
import { deferred } from '../../test/support/broker';

describe('Batcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function recorder(): { batches: number[][]; process: (b: number[]) => Promise<void> } {
    const batches: number[][] = [];
    return { batches, process: (b) => (batches.push(b), Promise.resolve()) };
  }

  it('processes a full batch at once', async () => {
    const r = recorder();
    const batcher = new Batcher({ maxSize: 3, windowMs: 1000, ...r, onProcessError: vi.fn() });
    [1, 2, 3, 4].forEach((n) => batcher.add(n));
    await vi.advanceTimersByTimeAsync(0);
    expect(r.batches).toEqual([[1, 2, 3]]);
  });

  it('processes a partial batch once its oldest item waited the window', async () => {
    const r = recorder();
    const batcher = new Batcher({ maxSize: 10, windowMs: 50, ...r, onProcessError: vi.fn() });
    batcher.add(1);
    await vi.advanceTimersByTimeAsync(30);
    batcher.add(2);
    expect(r.batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(20);
    expect(r.batches).toEqual([[1, 2]]);
  });

  it('never runs two batches at once, and sends what piled up meanwhile next', async () => {
    const held = deferred<void>();
    const batches: number[][] = [];
    let running = 0;
    let maxRunning = 0;
    const batcher = new Batcher<number>({
      maxSize: 2,
      windowMs: 10,
      process: async (b) => {
        batches.push(b);
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        if (batches.length === 1) await held.promise;
        running -= 1;
      },
      onProcessError: vi.fn(),
    });
    [1, 2, 3, 4, 5].forEach((n) => batcher.add(n));
    await vi.advanceTimersByTimeAsync(100);
    expect(batches).toEqual([[1, 2]]);
    held.resolve();
    await vi.advanceTimersByTimeAsync(100);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
    expect(maxRunning).toBe(1);
  });

  it('with maxConcurrent 2, runs two batches at once but never a third, and drains only when both settled', async () => {
    const held = [deferred<void>(), deferred<void>()];
    const batches: number[][] = [];
    let running = 0;
    let maxRunning = 0;
    const batcher = new Batcher<number>({
      maxSize: 2,
      windowMs: 10,
      maxConcurrent: 2,
      process: async (b) => {
        batches.push(b);
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        if (batches.length <= 2) await held[batches.length - 1]!.promise;
        running -= 1;
      },
      onProcessError: vi.fn(),
    });
    [1, 2, 3, 4, 5, 6].forEach((n) => batcher.add(n));
    await vi.advanceTimersByTimeAsync(100);
    expect(batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
    let drained = false;
    void batcher.drain().then(() => (drained = true));
    held[1]!.resolve();
    await vi.advanceTimersByTimeAsync(100);
    expect(batches).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(drained).toBe(false); // the first batch is still in flight
    held[0]!.resolve();
    await vi.advanceTimersByTimeAsync(100);
    expect(drained).toBe(true);
    expect(maxRunning).toBe(2);
  });

  describe('with keys (streams)', () => {
    /** Items are 'key:n'; batches are held until released, in the order they started. */
    function keyedBatcher(maxConcurrent: number, maxSize = 3) {
      const held: ReturnType<typeof deferred<void>>[] = [];
      const batches: string[][] = [];
      const batcher = new Batcher<string>({
        maxSize,
        windowMs: 0,
        maxConcurrent,
        keyOf: (item) => (item.startsWith('-') ? undefined : item.split(':')[0]),
        process: async (b) => {
          batches.push(b);
          const release = deferred<void>();
          held.push(release);
          await release.promise;
        },
        onProcessError: vi.fn(),
      });
      return { batcher, batches, held };
    }

    it('given a key in flight, when a second batch starts, then it leaves that key for later and takes the others in order', async () => {
      const { batcher, batches, held } = keyedBatcher(2);
      ['a:1', 'b:1', 'c:1'].forEach((i) => batcher.add(i));
      await vi.advanceTimersByTimeAsync(0);
      ['a:2', 'd:1', '-x', 'b:2', 'e:1', 'f:1'].forEach((i) => batcher.add(i));
      await vi.advanceTimersByTimeAsync(0);
      expect(batches).toEqual([
        ['a:1', 'b:1', 'c:1'],
        ['d:1', '-x', 'e:1'],
      ]);
      held[0]!.resolve();
      await vi.advanceTimersByTimeAsync(0);
      expect(batches[2]).toEqual(['a:2', 'b:2', 'f:1']);
    });

    it('given every pending item waits for a key in flight, then no empty batch starts, and they go once it settles', async () => {
      const { batcher, batches, held } = keyedBatcher(2);
      batcher.add('a:1');
      await vi.advanceTimersByTimeAsync(0);
      batcher.add('a:2');
      batcher.add('a:3');
      await vi.advanceTimersByTimeAsync(50);
      expect(batches).toEqual([['a:1']]);
      let drained = false;
      void batcher.drain().then(() => (drained = true));
      held[0]!.resolve();
      await vi.advanceTimersByTimeAsync(0);
      expect(batches).toEqual([['a:1'], ['a:2', 'a:3']]);
      expect(drained).toBe(false);
      held[1]!.resolve();
      await vi.advanceTimersByTimeAsync(0);
      expect(drained).toBe(true);
    });

    it('given one batch at a time, then keys change nothing: batches take items in arrival order', async () => {
      const { batcher, batches, held } = keyedBatcher(1, 2);
      ['a:1', 'a:2', 'b:1'].forEach((i) => batcher.add(i));
      await vi.advanceTimersByTimeAsync(0);
      held[0]!.resolve();
      await vi.advanceTimersByTimeAsync(0);
      expect(batches).toEqual([['a:1', 'a:2'], ['b:1']]);
    });
  });

  it('drain() flushes at once and resolves when nothing is pending or in flight', async () => {
    const r = recorder();
    const batcher = new Batcher({ maxSize: 10, windowMs: 60_000, ...r, onProcessError: vi.fn() });
    batcher.add(1);
    batcher.add(2);
    const drained = batcher.drain();
    await vi.advanceTimersByTimeAsync(0);
    await drained;
    expect(r.batches).toEqual([[1, 2]]);
  });

  it('drain() resolves at once when idle', async () => {
    const batcher = new Batcher({
      maxSize: 10,
      windowMs: 50,
      ...recorder(),
      onProcessError: vi.fn(),
    });
    await batcher.drain();
  });

  it('reports a rejected batch and carries on', async () => {
    const onProcessError = vi.fn();
    const batches: number[][] = [];
    const batcher = new Batcher<number>({
      maxSize: 1,
      windowMs: 0,
      process: (b) => (batches.push(b), Promise.reject(new Error('boom'))),
      onProcessError,
    });
    batcher.add(1);
    batcher.add(2);
    await vi.advanceTimersByTimeAsync(10);
    expect(batches).toEqual([[1], [2]]);
    expect(onProcessError).toHaveBeenCalledTimes(2);
  });
});
