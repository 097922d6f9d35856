import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { cpuSecondsBetween, cpuSecondsByPid } from './cpu';

/** A child that spins for `ms` of wall time, then exits; without `ms`, until it is killed. */
function spinner(ms?: number) {
  const loop =
    ms === undefined ? 'for (;;);' : `const end = Date.now() + ${ms}; while (Date.now() < end);`;
  return spawn(process.execPath, ['-e', loop]);
}

describe('CPU time between two readings', () => {
  it('counts what live processes used and leaves out those that exited, never going negative', () => {
    const before = new Map([
      [1, 10],
      [2, 5],
    ]);
    // Pid 2 exited (its CPU time can no longer be read); pid 3 started after the first reading.
    const after = new Map([
      [1, 12.5],
      [3, 99],
    ]);
    expect(cpuSecondsBetween(before, after)).toBe(2.5);
  });

  it('ignores a pid reused by a younger process that has used less CPU than the first', () => {
    expect(cpuSecondsBetween(new Map([[7, 40]]), new Map([[7, 1]]))).toBe(0);
  });

  it('reads real processes: a busy one that lives adds time, one that exits adds none', async () => {
    const stays = spinner();
    const leaves = spinner(300);
    try {
      const pids = [stays.pid!, leaves.pid!];
      const before = cpuSecondsByPid(pids);
      expect([...before.keys()].sort()).toEqual([...pids].sort());
      await once(leaves, 'exit');
      // On a loaded machine the spinner may hardly have run yet: wait until it
      // has used some CPU rather than for a fixed time.
      const staysUsed = (reading: Map<number, number>) =>
        (reading.get(stays.pid!) ?? 0) - before.get(stays.pid!)!;
      let after = cpuSecondsByPid(pids);
      for (let waited = 0; staysUsed(after) < 0.2 && waited < 20_000; waited += 50) {
        await sleep(50);
        after = cpuSecondsByPid(pids);
      }
      expect(after.has(leaves.pid!)).toBe(false);
      const used = cpuSecondsBetween(before, after);
      expect(used).toBeGreaterThan(0.1);
      // The exited one adds nothing: all of it is the live one's.
      expect(used).toBeCloseTo(staysUsed(after), 9);
    } finally {
      stays.kill();
      await once(stays, 'exit');
    }
  });
});
