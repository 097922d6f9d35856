import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteBackend } from '../../../test/support/backends';
import { startTestApp, type TestApp } from '../../../test/support/testApp';

const A = 'client-a-token-0123456789';
const B = 'client-b-token-0123456789';
const as = (token: string) => ({ authorization: `Bearer ${token}` });
const URL = '/api/v1/medication_periods/rl1';

describe('the per-client rate limit (RATE_LIMIT_PER_MINUTE)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(sqliteBackend, {
      security: { apiTokens: [A, B], rateLimitPerMinute: 3 },
    });
  });
  afterAll(() => t.close());

  it('answers the request over the limit 429 in the API error shape, with Retry-After', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await t.app.inject({ url: URL, headers: as(A) })).statusCode).toBe(200);
    }
    const over = await t.app.inject({ url: URL, headers: as(A) });
    expect(over.statusCode).toBe(429);
    expect(over.json()).toEqual({
      error: 'rate_limited',
      message: expect.stringMatching(/^more than 3 requests in a minute; retry in \d+/),
    });
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect(over.headers['content-security-policy']).toBeDefined();
  });

  it('counts each token on its own, even from the same address', async () => {
    expect((await t.app.inject({ url: URL, headers: as(B) })).statusCode).toBe(200);
  });

  it('counts requests without a valid token by address, so guessing tokens is throttled', async () => {
    const guesses = [];
    for (let i = 0; i < 5; i++) {
      guesses.push(
        (await t.app.inject({ url: URL, headers: as(`guess-${i}-0123456789abcdef`) })).statusCode,
      );
    }
    expect(guesses).toEqual([401, 401, 401, 429, 429]);
  });

  it('never throttles the probes and the metrics scrape', async () => {
    for (let i = 0; i < 10; i++) {
      expect((await t.app.inject('/healthz')).statusCode).toBe(200);
    }
  });
});

describe('without RATE_LIMIT_PER_MINUTE', () => {
  it('sets no limit', async () => {
    const t = await startTestApp(sqliteBackend);
    try {
      for (let i = 0; i < 30; i++) expect((await t.app.inject(URL)).statusCode).toBe(200);
      expect((await t.app.inject(URL)).headers['x-ratelimit-limit']).toBeUndefined();
    } finally {
      await t.close();
    }
  });
});
