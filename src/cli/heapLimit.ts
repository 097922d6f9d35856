import { spawnSync } from 'node:child_process';

const FLAG = '--max-old-space-size';

/**
 * Runs this same command again in a child with V8's old space capped at
 * `megabytes`, unless a cap was given (on the command line or in
 * NODE_OPTIONS), and returns the child's exit code; null when this process
 * is the one to do the work. Without a cap V8 lets the heap of a long replay
 * grow far beyond what it holds live (flat: a couple of pages at a time),
 * which costs resident memory and buys no speed.
 */
export function rerunWithHeapLimit(megabytes: number): number | null {
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  if (given.some((flag) => flag.startsWith(FLAG))) return null;
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, `${FLAG}=${megabytes}`, ...process.argv.slice(1)],
    { stdio: 'inherit' },
  );
  if (child.error) throw child.error;
  return child.status ?? 1;
}
