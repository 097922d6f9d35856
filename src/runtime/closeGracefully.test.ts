import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const CHILD = path.resolve(__dirname, '../../test/support/closeGracefullyChild.ts');

type Mode = 'steps' | 'hang' | 'throw' | 'reject';

// A case that fails must not leave its child running.
const running = new Set<ChildProcess>();
afterEach(() => {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
});

/** Runs the child; `onLine` may signal it. Resolves with its log's messages and exit code. */
function runChild(
  mode: Mode,
  timeoutMs: number,
  onLine: (message: string, kill: (signal: NodeJS.Signals) => void) => void = () => {},
): Promise<{ messages: string[]; out: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, mode, String(timeoutMs)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    let out = '';
    let buffered = '';
    const messages: string[] = [];
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const { msg } = JSON.parse(line) as { msg: string };
        messages.push(msg);
        onLine(msg, (signal) => child.kill(signal));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      running.delete(child);
      resolve({ messages, out, code });
    });
  });
}

const STEPS_IN_STOP_ORDER = ['second started, a', 'second started, b', 'first started, stops last'];

describe('closeGracefully', () => {
  it('given steps added as things started, when SIGTERM comes, then they run last-started first and the process exits 0', async () => {
    const { messages, code } = await runChild('steps', 5000, (msg, kill) => {
      if (msg === 'ready') kill('SIGTERM');
    });
    expect(messages).toEqual(['ready', 'shutting down', ...STEPS_IN_STOP_ORDER, 'stopped']);
    expect(code).toBe(0);
  });

  it('given an uncaught exception, when it is thrown, then it is logged, the steps run and the process exits 1', async () => {
    const { messages, out, code } = await runChild('throw', 5000);
    expect(messages).toEqual([
      'ready',
      'uncaught error: shutting down',
      ...STEPS_IN_STOP_ORDER,
      'stopped',
    ]);
    expect(out).toContain('boom');
    expect(code).toBe(1);
  });

  it('given a rejection with no reason, when nobody handles it, then the process stops with exit 1', async () => {
    const { messages, code } = await runChild('reject', 5000);
    expect(messages).toEqual([
      'ready',
      'uncaught error: shutting down',
      ...STEPS_IN_STOP_ORDER,
      'stopped',
    ]);
    expect(code).toBe(1);
  });

  it('given a step that hangs, when the signal comes twice (as npm forwards Ctrl-C), then the stop goes on until the timeout and exits 1', async () => {
    const { messages, code } = await runChild('hang', 300, (msg, kill) => {
      if (msg === 'ready') kill('SIGINT');
      if (msg === 'second started, a') kill('SIGINT');
    });
    expect(messages).toEqual(['ready', 'shutting down', 'second started, a', 'shutdown timed out']);
    expect(code).toBe(1);
  });
});
