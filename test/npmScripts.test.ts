import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO_ROOT = path.resolve(__dirname, '..');

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Starts `npm run <script>`, sends SIGTERM to npm itself once the app logged "started". */
function stopThroughNpm(script: string): Promise<{ out: string; appPid: number }> {
  return new Promise((resolve, reject) => {
    const npm = spawn('npm', ['run', '--silent', script], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: 'sqlite::memory:', PORT: '0', LOG_FORMAT: 'json' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let signalled = false;
    const collect = (chunk: Buffer) => {
      out += chunk.toString();
      if (!signalled && /"msg":"started"/.test(out)) {
        signalled = true;
        npm.kill('SIGTERM');
      }
    };
    npm.stdout.on('data', collect);
    npm.stderr.on('data', collect);
    npm.once('error', reject);
    npm.once('exit', () => {
      const pid = /"pid":(\d+)/.exec(out);
      if (!pid) reject(new Error(`no pid in the app's log:\n${out}`));
      else resolve({ out, appPid: Number(pid[1]) });
    });
  });
}

// npm sends SIGTERM to the shell of a script only: a script that does not
// exec its command leaves the app running, holding its port, never stopped.
describe('a long-running npm script stopped with SIGTERM to npm', () => {
  it.each(['start', 'serve'])(
    'given `npm run %s`, when npm gets SIGTERM, then the app stops gracefully and exits',
    async (script) => {
      const { out, appPid } = await stopThroughNpm(script);

      const deadline = Date.now() + 10_000;
      while (isRunning(appPid) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      const orphaned = isRunning(appPid);
      // An orphan would hold its port after the test: stop it whatever the verdict.
      if (orphaned) process.kill(appPid, 'SIGKILL');
      expect(orphaned, `app ${appPid} still running`).toBe(false);
      expect(out).toMatch(/"signal":"SIGTERM","msg":"shutting down"/);
      expect(out).toMatch(/"msg":"stopped"/);
    },
    60_000,
  );
});

describe('the service entry point’s arguments', () => {
  const runMain = (...args: string[]) =>
    new Promise<{ code: number | null; out: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
        cwd: REPO_ROOT,
        env: { ...process.env, DATABASE_URL: 'sqlite::memory:', PORT: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (out += c.toString()));
      child.once('error', reject);
      child.once('exit', (code) => resolve({ code, out }));
    });

  it('given an unknown --role, when started, then it exits 1 naming the allowed roles', async () => {
    const { code, out } = await runMain('--role', 'bogus');
    expect(code).toBe(1);
    expect(out).toMatch(/'bogus' is invalid\. Allowed choices are all, api, consumer/);
  }, 30_000);

  it('given --help, when started, then it lists --role and exits 0 without starting', async () => {
    const { code, out } = await runMain('--help');
    expect(code).toBe(0);
    expect(out).toMatch(/--role <role>/);
    expect(out).not.toMatch(/"msg":"started"/);
  }, 30_000);
});
