import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '../..');

export interface ConsumerPoolOptions {
  size: number;
  /** Environment of every consumer process (DATABASE_URL, AMQP_*). */
  env: Record<string, string>;
  /** Where the consumers' log lines go (one file, appended). */
  logFile: string;
}

interface Slot {
  child: ChildProcess | null;
  /** Set while we kill it on purpose, so the exit is not counted as a crash. */
  killing: boolean;
}

/**
 * The consumer processes (`src/main.ts --role consumer`), supervised as a
 * platform would: one that exits by itself (e.g. it could not migrate while
 * the database was cut) is restarted after a second and counted.
 */
export class ConsumerPool {
  private readonly slots: Slot[];
  private readonly log: fs.WriteStream;
  private stopping = false;
  /** Exits nobody asked for. */
  unexpectedExits = 0;
  starts = 0;

  constructor(private readonly options: ConsumerPoolOptions) {
    this.slots = Array.from({ length: options.size }, () => ({ child: null, killing: false }));
    this.log = fs.createWriteStream(options.logFile, { flags: 'a' });
  }

  start(): void {
    this.slots.forEach((_, i) => this.spawn(i));
  }

  private spawn(i: number): void {
    const slot = this.slots[i]!;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/main.ts', '--role', 'consumer'],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, ...this.options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.starts += 1;
    slot.child = child;
    slot.killing = false;
    child.stdout?.on('data', (chunk: Buffer) => this.log.write(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.log.write(chunk));
    child.once('exit', (code, signal) => {
      this.log.write(`# consumer ${i} (pid ${child.pid}) exited: ${code ?? signal}\n`);
      if (slot.child !== child || slot.killing || this.stopping) return;
      this.unexpectedExits += 1;
      setTimeout(() => {
        if (!this.stopping && slot.child === child) this.spawn(i);
      }, 1_000);
    });
  }

  /**
   * SIGKILLs one running consumer (no chance to ack or clean up) and restarts
   * it after `restartAfterMs`. False when none was running to be killed.
   */
  async killOne(random: () => number, restartAfterMs: number): Promise<boolean> {
    const running = this.slots.filter(
      (s) => s.child !== null && s.child.exitCode === null && s.child.signalCode === null,
    );
    const slot = running[Math.floor(random() * running.length)];
    const child = slot?.child;
    if (!slot || !child) return false;
    const i = this.slots.indexOf(slot);
    slot.killing = true;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await gone;
    await new Promise((resolve) => setTimeout(resolve, restartAfterMs));
    if (!this.stopping) this.spawn(i);
    return true;
  }

  /** Stops every consumer gracefully (SIGTERM); resolves with their exit codes. */
  async stop(): Promise<(number | null)[]> {
    this.stopping = true;
    const codes = await Promise.all(
      this.slots.map(({ child }) => {
        if (!child || child.exitCode !== null || child.signalCode !== null) {
          return Promise.resolve(child?.exitCode ?? null);
        }
        const exit = new Promise<number | null>((resolve) =>
          child.once('exit', (code) => resolve(code)),
        );
        child.kill('SIGTERM');
        return exit;
      }),
    );
    await new Promise<void>((resolve) => this.log.end(() => resolve()));
    return codes;
  }
}
