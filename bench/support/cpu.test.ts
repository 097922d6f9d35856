import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { cpuSecondsBetween, cpuSecondsByPid } from './cpu';

/** A child that spins for `ms` of wall time, then exits. */
function spinner(ms: number) {
  return spawn(process.execPath, [
    '-e',
    `const end = Date.now() + ${ms}; while (Date.now() < end);`,
  ]);
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
    const stays = spinner(1_500);
    const leaves = spinner(300);
    const pids = [stays.pid!, leaves.pid!];
    const before = cpuSecondsByPid(pids);
    expect([...before.keys()].sort()).toEqual([...pids].sort());
    await once(leaves, 'exit');
    await new Promise((resolve) => setTimeout(resolve, 400));
    const after = cpuSecondsByPid(pids);
    expect(after.has(leaves.pid!)).toBe(false);
    const used = cpuSecondsBetween(before, after);
    expect(used).toBeGreaterThan(0.1);
    expect(used).toBeLessThanOrEqual(after.get(stays.pid!)! - before.get(stays.pid!)! + 1e-9);
    stays.kill();
    await once(stays, 'exit');
  });
});
