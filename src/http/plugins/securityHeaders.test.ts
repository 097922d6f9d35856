import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteBackend } from '../../../test/support/backends';
import { startTestApp, type TestApp } from '../../../test/support/testApp';
import { dataRouteHeaders, helmetHeaders } from './securityHeaders';

const TOKEN = 'headers-token-0123456789';

describe('security headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(sqliteBackend, { security: { apiTokens: [TOKEN] } });
  });
  afterAll(() => t.close());

  it.each([
    ['an API answer', '/api/v1/medication_periods/h1', TOKEN],
    ['a 401', '/api/v1/medication_periods/h1', undefined],
    ['a FHIR answer', '/fhir/r4/MedicationAdministration?subject=h1', TOKEN],
    ['a 404', '/nope', undefined],
    ['the docs', '/docs', undefined],
    ['the timeline page', '/', undefined],
    ['a probe', '/healthz', undefined],
  ])('are on %s', async (_name, url, token) => {
    const response = await t.app.inject({
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    const h = response.headers;
    expect(h['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(h['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(h['x-frame-options']).toBe('DENY');
    expect(h['referrer-policy']).toBe('no-referrer');
    expect(h['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(h['cross-origin-resource-policy']).toBe('same-origin');
    expect(h['x-powered-by']).toBeUndefined();
  });

  it.each([
    ['an API answer', '/api/v1/medication_periods/h1', TOKEN],
    ['a 401', '/api/v1/medication_periods/h1', undefined],
    ['a 400', '/api/v1/medication_periods/h1?status=nope', TOKEN],
    ['a FHIR answer', '/fhir/r4/MedicationAdministration?subject=h1', TOKEN],
    ['a 404 under /api/', '/api/v1/nothing/h1', TOKEN],
    ['a 401 under /fhir/ on no route', '/fhir/r4/Nothing/h1', undefined],
  ])(
    'on %s of a data route, keep a browser from storing, framing or loading anything',
    async (_name, url, token) => {
      const response = await t.app.inject({
        url,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      const h = response.headers;
      expect(h['cache-control']).toBe('no-store');
      expect(h['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
      // The page-only headers stay off the small JSON answers.
      expect(h['cross-origin-opener-policy']).toBeUndefined();
      expect(h['x-dns-prefetch-control']).toBeUndefined();
    },
  );

  it.each([
    ['the docs', '/docs'],
    ['the timeline page', '/'],
    ['a probe', '/healthz'],
    ['a 404', '/api-nope'],
  ])("on %s, are the pages' own, which allow this origin's scripts", async (_name, url) => {
    const h = (await t.app.inject(url)).headers;
    for (const [name, value] of Object.entries(await helmetHeaders())) expect(h[name]).toBe(value);
    expect(h['content-security-policy']).toContain("default-src 'self'");
    expect(h['content-security-policy']).toContain("script-src 'self'");
    expect(h['cross-origin-opener-policy']).toBe('same-origin');
    expect(h['cache-control']).not.toBe('no-store');
  });

  it('forbid inline scripts everywhere', async () => {
    const csp = (await t.app.inject('/')).headers['content-security-policy'] as string;
    const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src '));
    expect(scriptSrc).not.toMatch(/unsafe-inline|unsafe-eval/);
  });
});

describe('security headers, set once at start-up', () => {
  it("are a data route's, on a 500 as well", async () => {
    const failing = async (): Promise<never> => {
      throw new Error('database down');
    };
    const t = await startTestApp(sqliteBackend, {
      repositories: { periodsRepository: { list: failing, listAsOf: failing, snapshot: failing } },
    });
    try {
      const response = await t.app.inject('/api/v1/medication_periods/h1');
      expect(response.statusCode).toBe(500);
      const expected = dataRouteHeaders(await helmetHeaders());
      expect(Object.keys(expected)).toContain('content-security-policy');
      expect(Object.keys(expected)).toContain('strict-transport-security');
      for (const [name, value] of Object.entries(expected)) {
        expect(response.headers[name]).toBe(value);
      }
    } finally {
      await t.close();
    }
  });
});
