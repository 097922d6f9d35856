import { describe, expect, it } from 'vitest';
import { forEachBounded } from './boundedConcurrency';

async function* numbers(n: number, taken: number[]) {
  for (let i = 0; i < n; i++) {
    taken.push(i);
    yield i;
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('forEachBounded', () => {
  it('works on every item, never more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    await forEachBounded(numbers(10, []), 3, async (i) => {
      most = Math.max(most, ++running);
      await tick();
      running--;
      done.push(i);
    });
    expect(done.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(most).toBe(3);
  });

  it('takes no new item after a failure, and rethrows it after the others settled', async () => {
    const taken: number[] = [];
    let settled = 0;
    const run = forEachBounded(numbers(100, taken), 2, async (i) => {
      await tick();
      settled++;
      if (i === 3) throw new Error('page 3 failed');
    });
    await expect(run).rejects.toThrow('page 3 failed');
    expect(taken.length).toBeLessThan(8);
    expect(settled).toBe(taken.length);
  });
});
