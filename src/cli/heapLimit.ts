import { spawn } from 'node:child_process';
import { constants } from 'node:os';

const FLAG = '--max-old-space-size';
const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Runs this same command again in a child with V8's old space capped at
 * `megabytes`, unless a cap was given (on the command line or in
 * NODE_OPTIONS), and resolves with the child's exit code; null when this
 * process is the one to do the work. Without a cap V8 lets the heap of a long
 * replay grow far beyond what it holds live (flat: a couple of pages at a
 * time), which costs resident memory and buys no speed. Signals sent to this
 * process are passed on, so stopping it stops the replay.
 */
export function rerunWithHeapLimit(megabytes: number): Promise<number> | null {
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  if (given.some((flag) => flag.startsWith(FLAG))) return null;
  const child = spawn(
    process.execPath,
    [...process.execArgv, `${FLAG}=${megabytes}`, ...process.argv.slice(1)],
    { stdio: 'inherit' },
  );
  for (const signal of FORWARDED) process.on(signal, () => child.kill(signal));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      resolve(code ?? 128 + (signal ? constants.signals[signal] : 0)),
    );
  });
}
