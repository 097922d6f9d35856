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

// A wrong token gets 401 and a right one 404 on a URL no route matches: that
// must be as throttled as a guess on a real route.
describe('the rate limit on URLs that match no route', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(sqliteBackend, { security: { apiTokens: [A], rateLimitPerMinute: 3 } });
  });
  afterAll(() => t.close());

  it('throttles token guesses on unknown /api/ and /fhir/ URLs by address', async () => {
    const codes = [];
    for (const url of ['/api/nonexistent', '/fhir/r4/Nothing', '/api/x', '/api/y', '/fhir/z']) {
      codes.push((await t.app.inject({ url, headers: as('guess-0123456789abcdef') })).statusCode);
    }
    expect(codes).toEqual([401, 401, 401, 429, 429]);
  });
});

describe('the rate limit on the operations routes, when they need a token', () => {
  const OPS = 'operations-token-0123456789';
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(sqliteBackend, {
      security: { apiTokens: [A], operationsTokens: [OPS], rateLimitPerMinute: 3 },
    });
  });
  afterAll(() => t.close());

  it('never throttles a probe or scrape that presents a valid operations token', async () => {
    for (let i = 0; i < 10; i++) {
      expect((await t.app.inject({ url: '/metrics', headers: as(OPS) })).statusCode).toBe(200);
    }
  });

  it('throttles guesses of the operations token by address', async () => {
    const codes = [];
    for (let i = 0; i < 5; i++) {
      const url = i % 2 === 0 ? '/metrics' : '/healthz';
      codes.push(
        (await t.app.inject({ url, headers: as(`ops-guess-${i}-0123456789`) })).statusCode,
      );
    }
    expect(codes).toEqual([401, 401, 401, 429, 429]);
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
