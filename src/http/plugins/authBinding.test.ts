import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLoopbackHost, resolveAuthSettings } from './authBinding';
import { parseTokenList, tokenSet, bearerTokenOf } from './authTokens';

const REPO_ROOT = path.resolve(__dirname, '../../..');
const TOKEN = 'bind-test-token-0123456789';

/** Runs `src/main.ts` (role api) with `env`; resolves on exit, or once it logged "started" (then stops it). */
function runMain(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--role', 'api'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        DATABASE_URL: 'sqlite::memory:',
        PORT: '0',
        LOG_FORMAT: 'json',
        API_TOKENS: '',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let stopping = false;
    const collect = (chunk: Buffer) => {
      out += chunk.toString();
      // Once only: a second SIGTERM would meet no handler and kill it outright.
      if (!stopping && /"msg":"started"/.test(out)) {
        stopping = true;
        child.kill('SIGTERM');
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('exit', (code) => resolve({ code, out }));
  });
}

describe('the bind-address check of src/main.ts', () => {
  it.each(['0.0.0.0', '::', '192.168.1.20'])(
    'refuses HOST=%s without API_TOKENS, exit code 1 and a message saying what to do',
    async (host) => {
      const { code, out } = await runMain({ HOST: host });
      expect(code).toBe(1);
      expect(out).toContain(`refusing to listen on HOST=${host} without authentication`);
      expect(out).toMatch(/Set API_TOKENS/);
    },
    60_000,
  );

  it('starts on 0.0.0.0 with ALLOW_UNAUTHENTICATED=true, and warns', async () => {
    const { code, out } = await runMain({ HOST: '0.0.0.0', ALLOW_UNAUTHENTICATED: 'true' });
    expect(out).toMatch(/"level":40.*WITHOUT authentication/);
    expect(out).toMatch(/"msg":"started"/);
    expect(code).toBe(0);
  }, 60_000);

  it('starts on 0.0.0.0 with API_TOKENS, and never logs the token', async () => {
    const { code, out } = await runMain({ HOST: '0.0.0.0', API_TOKENS: TOKEN });
    expect(out).toMatch(/"msg":"started"/);
    expect(out).not.toContain(TOKEN);
    expect(code).toBe(0);
  }, 60_000);

  it('refuses a weak token before starting, without printing it', async () => {
    const { code, out } = await runMain({ API_TOKENS: `${TOKEN},tooshort` });
    expect(code).toBe(1);
    expect(out).toContain('API_TOKENS: token #2 is shorter than 16 characters');
    expect(out).not.toContain('tooshort');
  }, 60_000);
});

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.1', false],
    ['example.org', false],
  ])('%s: %s', (host, expected) => expect(isLoopbackHost(host)).toBe(expected));
});

describe('resolveAuthSettings', () => {
  const base = { HOST: '127.0.0.1', ALLOW_UNAUTHENTICATED: false };
  it('allows an open API on loopback', () => {
    expect(resolveAuthSettings(base)).toEqual({
      apiTokens: [],
      operationsTokens: [],
      warning: null,
    });
  });
  it('splits, trims and keeps several tokens for rotation', () => {
    const s = resolveAuthSettings({
      ...base,
      HOST: '0.0.0.0',
      API_TOKENS: ` ${TOKEN} ,, new-${TOKEN}`,
    });
    expect(s.apiTokens).toEqual([TOKEN, `new-${TOKEN}`]);
  });
  it('treats an empty API_TOKENS as none', () => {
    expect(() => resolveAuthSettings({ ...base, HOST: '0.0.0.0', API_TOKENS: ' , ' })).toThrow(
      /refusing/,
    );
  });
});

describe('tokens', () => {
  it('refuses characters a Bearer header cannot carry, naming the position only', () => {
    expect(() => parseTokenList('API_TOKENS', 'has space in it 0123456789')).toThrow(
      /^API_TOKENS: token #1 may only hold/,
    );
  });
  it('match exactly, in constant time, and label a match without revealing it', () => {
    const set = tokenSet([TOKEN, `other-${TOKEN}`]);
    expect(set.matches(TOKEN)).toBe(true);
    expect(set.matches(`${TOKEN} `)).toBe(false);
    expect(set.matches(TOKEN.toUpperCase())).toBe(false);
    expect(set.labelOf(TOKEN)).toMatch(/^[0-9a-f]{12}$/);
    expect(set.labelOf(TOKEN)).not.toBe(set.labelOf(`other-${TOKEN}`));
    expect(set.labelOf('nope')).toBeNull();
  });
  it('read the Authorization header case-insensitively for the scheme only', () => {
    expect(bearerTokenOf(`bearer ${TOKEN}`)).toBe(TOKEN);
    expect(bearerTokenOf(`Bearer ${TOKEN} extra`)).toBeNull();
    expect(bearerTokenOf(undefined)).toBeNull();
  });
});
