import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const CHILD = path.resolve(__dirname, '../../test/support/closeGracefullyChild.ts');

/** Runs the child; `onLine` may signal it. Resolves with its log and exit code. */
function runChild(
  mode: 'error' | 'hang',
  timeoutMs: number,
  onLine: (line: string, kill: (signal: NodeJS.Signals) => void) => void = () => {},
): Promise<{ out: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, mode, String(timeoutMs)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = chunk.toString();
      out += lines;
      for (const line of lines.split('\n')) if (line) onLine(line, (s) => child.kill(s));
    });
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ out, code }));
  });
}

const messages = (out: string) =>
  out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => (JSON.parse(l) as { msg: string }).msg);

describe('closeGracefully', () => {
  it('given an uncaught error, when it is thrown, then the steps run and the process exits 1', async () => {
    const { out, code } = await runChild('error', 5000);
    expect(code).toBe(1);
    expect(messages(out)).toEqual([
      'ready',
      'uncaught error: shutting down',
      'step ran',
      'stopped',
    ]);
    expect(out).toContain('boom');
  });

  it('given a step that hangs, when a second SIGTERM comes, then the process exits 1 at once', async () => {
    const { out, code } = await runChild('hang', 60_000, (line, kill) => {
      if (line.includes('"msg":"ready"')) kill('SIGTERM');
      if (line.includes('"msg":"step ran"')) kill('SIGTERM');
    });
    expect(code).toBe(1);
    expect(messages(out)).toEqual([
      'ready',
      'shutting down',
      'step ran',
      'second signal while stopping: exiting now',
    ]);
  });

  it('given a step that hangs, when the shutdown timeout passes, then the process exits 1', async () => {
    const { out, code } = await runChild('hang', 100, (line, kill) => {
      if (line.includes('"msg":"ready"')) kill('SIGTERM');
    });
    expect(code).toBe(1);
    expect(messages(out)).toEqual(['ready', 'shutting down', 'step ran', 'shutdown timed out']);
  });
});
