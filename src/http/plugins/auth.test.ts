import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteBackend } from '../../../test/support/backends';
import {
  TEST_CONFIG,
  captureLogs,
  startTestApp,
  type TestApp,
} from '../../../test/support/testApp';
import { buildApp, type App } from '../app';
import { audienceOf } from './auth';

const API_TOKEN = 'api-token-0123456789abcdef';
const OLD_API_TOKEN = 'old-api-token-0123456789';
const OPS_TOKEN = 'ops-token-0123456789abcdef';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const EVENT = {
  up_id: 'auth1',
  medication_name: 'Zinc',
  action: 'start',
  event_time: '2021-03-24T20:15:56Z',
};

interface Route {
  method: string;
  url: string;
}

/** A concrete URL for a route pattern: every :param becomes a plain value. */
const concrete = (pattern: string) => pattern.replace(/:\w+/g, 'p1');

describe('bearer-token authentication', () => {
  let t: TestApp;
  const logs = captureLogs('trace');
  let routes: Route[] = [];

  beforeAll(async () => {
    routes = await listRoutes();
    t = await startTestApp(sqliteBackend, {
      logger: logs.logger,
      security: { apiTokens: [API_TOKEN, OLD_API_TOKEN], operationsTokens: [] },
    });
  });
  afterAll(() => t.close());

  const inject = (app: App, route: Route, headers: Record<string, string> = {}) =>
    app.inject({
      method: route.method as 'GET',
      url: concrete(route.url),
      headers,
      ...(route.method === 'POST' ? { payload: EVENT } : {}),
    });

  it('finds the API routes to check (new ones, FHIR included, are picked up by themselves)', () => {
    expect(routes.length).toBeGreaterThanOrEqual(5);
  });

  it('answers every /api/ and /fhir/ route 401 with a Bearer challenge without a token: the API error shape, or an OperationOutcome for FHIR', async () => {
    const message = 'this URL needs a bearer token: send Authorization: Bearer <token>';
    for (const route of routes) {
      const response = await inject(t.app, route);
      const where = `${route.method} ${route.url}`;
      expect(response.statusCode, where).toBe(401);
      expect(response.headers['www-authenticate'], where).toBe('Bearer realm="medication-periods"');
      if (route.url.startsWith('/fhir/')) {
        expect(response.headers['content-type'], where).toMatch(/^application\/fhir\+json/);
        expect(response.json(), where).toEqual({
          resourceType: 'OperationOutcome',
          issue: [{ severity: 'error', code: 'login', diagnostics: message }],
        });
      } else {
        expect(response.json(), where).toEqual({ error: 'unauthorized', message });
      }
    }
    expect(routes.some((r) => r.url.startsWith('/fhir/'))).toBe(true);
  });

  it('runs no handler for a refused request: nothing was written', async () => {
    const [row] = await t.database.db('events').count({ n: '*' });
    expect(Number(row?.n)).toBe(0);
  });

  it('answers a wrong token 401 invalid_token, without echoing it', async () => {
    for (const route of routes) {
      const response = await inject(t.app, route, bearer('wrong-token-0123456789abc'));
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toMatch(/error="invalid_token"/);
      expect(response.body).not.toContain('wrong-token');
    }
  });

  it('lets every route through with any configured token (rotation: old and new)', async () => {
    for (const token of [API_TOKEN, OLD_API_TOKEN]) {
      for (const route of routes) {
        const response = await inject(t.app, route, bearer(token));
        const where = `${route.method} ${route.url}`;
        // FHIR searches need parameters of their own (a 400 is theirs to answer); /api/ routes answer 200.
        if (route.url.startsWith('/api/')) expect(response.statusCode, where).toBe(200);
        else expect([200, 400], where).toContain(response.statusCode);
      }
    }
  });

  it.each([
    ['Basic', `Basic ${Buffer.from(`x:${API_TOKEN}`).toString('base64')}`],
    ['token alone', API_TOKEN],
    ['empty bearer', 'Bearer '],
    ['token with a suffix', `Bearer ${API_TOKEN}x`],
    ['token prefix', `Bearer ${API_TOKEN.slice(0, -1)}`],
  ])('refuses a malformed Authorization header (%s)', async (_name, header) => {
    const response = await t.app.inject({
      url: '/api/v1/medication_periods/auth1',
      headers: { authorization: header },
    });
    expect(response.statusCode).toBe(401);
  });

  it.each([
    '/API/v1/medication_periods/auth1',
    '//api/v1/medication_periods/auth1',
    '/%61pi/v1/medication_periods/auth1',
    '/api',
    '/api/v9/unknown',
    '/fhir/r4/Patient/auth1',
    '/fhir',
  ])('answers %s 401 too (other spellings, unknown URLs under the prefixes)', async (url) => {
    const response = await t.app.inject(url);
    expect(response.statusCode).toBe(401);
  });

  it('keeps the operational routes, the docs and unknown public URLs open', async () => {
    for (const url of ['/healthz', '/readyz', '/metrics', '/docs', '/openapi.json']) {
      expect((await t.app.inject(url)).statusCode, url).toBe(200);
    }
    expect((await t.app.inject('/nope')).statusCode).toBe(404);
  });

  it('never writes a token into the logs, even at trace level', async () => {
    await t.app.inject({ url: '/api/v1/events', headers: bearer('leaky-token-0123456789abc') });
    // A token sent by mistake in the query string (never accepted there) is not logged either.
    await t.app.inject('/api/v1/medication_periods/p1?access_token=query-token-0123456789&x=1');
    const text = JSON.stringify(logs.lines());
    for (const token of [API_TOKEN, OLD_API_TOKEN, 'leaky-token', 'query-token'])
      expect(text).not.toContain(token);
    expect(text).toContain('access_token=[redacted]&x=1');
    expect(logs.lines().some((l) => l.errCode === 'unauthorized')).toBe(true);
  });
});

describe('operations tokens', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(sqliteBackend, {
      security: { apiTokens: [API_TOKEN], operationsTokens: [OPS_TOKEN] },
    });
  });
  afterAll(() => t.close());

  it.each(['/healthz', '/readyz', '/metrics'])('guard %s with their own token', async (url) => {
    expect((await t.app.inject(url)).statusCode).toBe(401);
    expect((await t.app.inject({ url, headers: bearer(API_TOKEN) })).statusCode).toBe(401);
    expect((await t.app.inject({ url, headers: bearer(OPS_TOKEN) })).statusCode).toBe(200);
  });

  it('do not open the API: a scraper cannot read patient data', async () => {
    const response = await t.app.inject({
      url: '/api/v1/medication_periods/auth1',
      headers: bearer(OPS_TOKEN),
    });
    expect(response.statusCode).toBe(401);
  });
});

describe('audienceOf', () => {
  it.each([
    [undefined, '/api/v1/x', 'api'],
    ['/fhir/r4/Patient/:id', '/fhir/r4/Patient/1', 'api'],
    [undefined, '/fhir/r4/metadata?x=1', 'api'],
    [undefined, '/apiary', 'public'],
    [undefined, '/healthz', 'operations'],
    [undefined, '/metrics?x', 'operations'],
    [undefined, '/', 'public'],
    [undefined, '/timeline.js', 'public'],
    [undefined, '/%E0%A4%A', 'public'],
  ] as const)('route %s, url %s: %s', (pattern, url, expected) => {
    expect(audienceOf(pattern, url)).toBe(expected);
  });
});

/** The app's /api/ and /fhir/ routes (HEAD twins left out), as Fastify registers them. */
async function listRoutes(): Promise<Route[]> {
  const database = await sqliteBackend.create();
  const app = buildApp({ db: database.db, config: TEST_CONFIG });
  const found: Route[] = [];
  app.addHook('onRoute', ({ method, url }) => {
    for (const m of [method].flat()) {
      if (m !== 'HEAD' && audienceOf(url, url) === 'api') found.push({ method: m, url });
    }
  });
  await app.ready();
  await app.close();
  await database.destroy();
  return found;
}
