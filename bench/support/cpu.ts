import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = 100;

/** Pids whose command name (/proc/<pid>/comm) is one of `names`. */
export function pidsNamed(names: readonly string[]): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      if (names.includes(comm)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** User + system CPU seconds a process has used so far; undefined once it is gone. */
export function cpuSecondsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return (utime + stime) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** CPU seconds each pid has used so far; pids already gone are left out. */
export function cpuSecondsByPid(pids: readonly number[]): Map<number, number> {
  const seconds = new Map<number, number>();
  for (const pid of pids) {
    const used = cpuSecondsOf(pid);
    if (used !== undefined) seconds.set(pid, used);
  }
  return seconds;
}

/**
 * CPU seconds used between two readings by the processes alive at both.
 * A process that exits in between (a `rabbitmqctl` is a short-lived beam.smp too) is left
 * out rather than counted as giving its CPU time back, which made the sum negative.
 */
export function cpuSecondsBetween(
  before: ReadonlyMap<number, number>,
  after: ReadonlyMap<number, number>,
): number {
  let used = 0;
  for (const [pid, start] of before) {
    const end = after.get(pid);
    if (end !== undefined && end >= start) used += end - start;
  }
  return used;
}

/** CPU seconds used by this process, MariaDB and RabbitMQ between start() and stop(). */
export interface CpuSplit {
  benchProcess: number;
  mariadb: number;
  rabbitmq: number;
}

export function cpuMeter(): { stop(): CpuSplit } {
  const mariadb = pidsNamed(['mariadbd', 'mysqld']);
  const rabbit = pidsNamed(['beam.smp']);
  const before = {
    self: process.cpuUsage(),
    mariadb: cpuSecondsByPid(mariadb),
    rabbit: cpuSecondsByPid(rabbit),
  };
  return {
    stop() {
      const self = process.cpuUsage(before.self);
      return {
        benchProcess: (self.user + self.system) / 1e6,
        mariadb: cpuSecondsBetween(before.mariadb, cpuSecondsByPid(mariadb)),
        rabbitmq: cpuSecondsBetween(before.rabbit, cpuSecondsByPid(rabbit)),
      };
    },
  };
}
