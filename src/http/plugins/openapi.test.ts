import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteBackend, type TestDatabase } from '../../../test/support/backends';
import { TEST_CONFIG } from '../../../test/support/testApp';
import { buildApp, type App } from '../app';
import { TIMELINE_PREFIX } from './staticPages';

interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: { in: string; name: string; required?: boolean }[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
}
type Paths = Record<string, Record<string, Operation>>;

/** The timeline page's routes (hidden from the document by their schemas). */
const isStaticPageRoute = (url: string) => url === '/' || url.startsWith(TIMELINE_PREFIX);
/** The docs themselves and the timeline page are not part of the API they document. */
const isDocsRoute = (url: string) =>
  url === '/openapi.json' || /^\/docs(\/|$)/.test(url) || isStaticPageRoute(url);
/** Fastify's /x/:id as OpenAPI's /x/{id}; a trailing slash is the same route. */
const asOpenapiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}').replace(/(.)\/+$/, '$1');

describe('the OpenAPI document and /docs', () => {
  let database: TestDatabase;
  let app: App;
  /** Every route the app really has, as "METHOD /path", seen as Fastify adds them. */
  const registered = new Set<string>();
  let paths: Paths;
  let spec: Record<string, unknown>;

  beforeAll(async () => {
    database = await sqliteBackend.create();
    app = buildApp({ db: database.db, config: TEST_CONFIG });
    app.addHook('onRoute', ({ method, url }) => {
      // HEAD routes are Fastify's automatic twins of the GET routes.
      for (const m of [method].flat()) {
        if (m !== 'HEAD' && !isDocsRoute(url)) registered.add(`${m} ${asOpenapiPath(url)}`);
      }
    });
    await app.ready();
    const response = await app.inject('/openapi.json');
    expect(response.statusCode).toBe(200);
    spec = response.json();
    paths = spec.paths as Paths;
  });
  afterAll(async () => {
    await app.close();
    await database.destroy();
  });

  const operations = () =>
    Object.entries(paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
    );

  it('is a valid OpenAPI 3 document', async () => {
    // ESM-only package, hence the dynamic import from this CommonJS project.
    const { Validator } = await import('@seriousme/openapi-schema-validator');
    const result = await new Validator().validate(spec);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(spec.openapi).toMatch(/^3\./);
  });

  it('lists exactly the routes the app has', () => {
    expect(registered.size).toBeGreaterThanOrEqual(8);
    const documented = operations().map(({ path, method }) => `${method.toUpperCase()} ${path}`);
    expect(new Set(documented)).toEqual(registered);
  });

  it('gives every operation a summary, description, tag, a 2xx, a 4xx and a 5xx', () => {
    for (const { path, method, operation } of operations()) {
      const where = `${method} ${path}`;
      expect(operation.summary, where).toBeTruthy();
      expect(operation.description, where).toBeTruthy();
      expect(operation.tags?.length, where).toBeGreaterThan(0);
      const codes = Object.keys(operation.responses);
      expect(
        codes.some((code) => code.startsWith('2')),
        where,
      ).toBe(true);
      expect(
        codes.some((code) => code.startsWith('4')),
        where,
      ).toBe(true);
      expect(
        codes.some((code) => code.startsWith('5')),
        where,
      ).toBe(true);
    }
  });

  it('marks exactly the /api/ and /fhir/ operations as taking the bearer token', () => {
    const schemes = (spec.components as { securitySchemes?: Record<string, { scheme?: string }> })
      .securitySchemes;
    expect(schemes?.bearerAuth?.scheme).toBe('bearer');
    for (const { path, method, operation } of operations()) {
      const secured = (operation as { security?: unknown }).security;
      const expected = /^\/(api|fhir)\//.test(path) ? [{ bearerAuth: [] }] : undefined;
      expect(secured, `${method} ${path}`).toEqual(expected);
    }
  });

  it('documents path and query parameters and the events body', () => {
    const periods = paths['/api/v1/medication_periods/{up_id}']!.get!;
    expect(periods.parameters?.map((p) => `${p.in}:${p.name}`).sort()).toEqual([
      'path:up_id',
      'query:as_of',
      'query:from',
      'query:medication',
      'query:status',
      'query:to',
    ]);
    const rejected = paths['/api/v1/rejected_events']!.get!;
    expect(rejected.parameters?.map((p) => p.name).sort()).toEqual([
      'before',
      'limit',
      'reason',
      'source',
    ]);
    expect(JSON.stringify(paths['/api/v1/events']!.post!.requestBody)).toMatch(/event_time/);
    // Only the path parameter is required: every query parameter has a default or none.
    for (const [path, item] of Object.entries(paths)) {
      for (const p of item.get?.parameters ?? []) {
        expect(p.required ?? false, `${path} ${p.in}:${p.name}`).toBe(p.in === 'path');
      }
    }
  });

  it('declares the media type each route answers with: FHIR JSON under /fhir/, JSON under /api/', () => {
    for (const [path, item] of Object.entries(paths)) {
      if (!/^\/(api|fhir)\//.test(path)) continue;
      for (const operation of [item.get, item.post]) {
        if (!operation) continue;
        const types = Object.values(operation.responses ?? {}).flatMap((r) =>
          Object.keys((r as { content?: object }).content ?? {}),
        );
        const expected = path.startsWith('/fhir/') ? 'application/fhir+json' : 'application/json';
        expect(types.length, path).toBeGreaterThan(0);
        expect(new Set(types), path).toEqual(new Set([expected]));
      }
    }
  });

  it('names the errors every route can answer: 401, 429 and 503', () => {
    const text = JSON.stringify(paths['/api/v1/medication_periods/{up_id}']!.get!.responses);
    for (const code of ['401 unauthorized', '429 rate_limited', '503 database_unavailable'])
      expect(text).toContain(code);
  });

  it('does not validate the documented events body: a bad item is still a rejection, not a 400', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/v1/events', payload: [{}] });
    expect(response.statusCode).toBe(200);
    expect(response.json().rejected[0].reason).toBe('missing_up_id');
  });

  it('serves Swagger UI at /docs from its own assets, calling nothing outside', async () => {
    const page = await app.inject('/docs');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('swagger-ui');
    expect(page.body).not.toMatch(/(src|href)="https?:/);
    const bundle = await app.inject('/docs/static/swagger-ui-bundle.js');
    expect(bundle.statusCode).toBe(200);
    const init = await app.inject('/docs/static/swagger-initializer.js');
    expect(init.body).toMatch(/validatorUrl: null/);
  });
});
