import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../..');

/** A port nothing listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  baseUrl: string;
  pid: number;
  /** SIGTERM, then SIGKILL after a grace period; resolves once the process exited. */
  stop(): Promise<void>;
}

/** Arguments of `node` running a TypeScript file through tsx, as production-like as tsx allows. */
export function tsxArgs(file: string, args: readonly string[] = []): string[] {
  return ['--import', 'tsx', path.resolve(REPO_ROOT, file), ...args];
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function waitUntilHealthy(
  url: string,
  child: ChildProcess,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not answer ${url} within ${timeoutMs} ms`);
}

/**
 * Starts an HTTP server as a child process (so a load generator in this
 * process does not share its event loop) on a free port, and waits until
 * `healthPath` answers 2xx.
 */
export async function startServer(args: {
  file: string;
  args?: string[];
  env: Record<string, string>;
  /** Variables of this process's environment the child must not inherit. */
  unset?: string[];
  healthPath: string;
  timeoutMs?: number;
}): Promise<RunningServer> {
  const port = await freePort();
  let stderr = '';
  const env: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', PORT: String(port) };
  for (const name of args.unset ?? []) delete env[name];
  const child = spawn(process.execPath, tsxArgs(args.file, args.args), {
    cwd: REPO_ROOT,
    env: { ...env, ...args.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitUntilHealthy(`${baseUrl}${args.healthPath}`, child, args.timeoutMs ?? 60_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${args.file}: ${(err as Error).message}\n${stderr}`);
  }
  return {
    baseUrl,
    pid: child.pid ?? 0,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited(child);
      clearTimeout(timer);
    },
  };
}

export interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

/** Runs a command to completion, capturing its output. */
export function runToCompletion(
  command: string,
  args: readonly string[],
  env: Record<string, string>,
): Promise<ChildRun> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('close', (code) =>
      resolve({ code, stdout, stderr, elapsedMs: performance.now() - started }),
    );
  });
}
