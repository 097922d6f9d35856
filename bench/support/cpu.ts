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

/** User + system CPU seconds a process has used so far (0 if it is gone or unreadable). */
export function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return (utime + stime) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
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
  const sum = (pids: number[]) => pids.reduce((s, pid) => s + cpuSecondsOf(pid), 0);
  const before = { self: process.cpuUsage(), mariadb: sum(mariadb), rabbit: sum(rabbit) };
  return {
    stop() {
      const self = process.cpuUsage(before.self);
      return {
        benchProcess: (self.user + self.system) / 1e6,
        mariadb: sum(mariadb) - before.mariadb,
        rabbitmq: sum(rabbit) - before.rabbit,
      };
    },
  };
}
