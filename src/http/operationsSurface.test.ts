import { afterEach, describe, expect, it } from 'vitest';
import { sqliteBackend } from '../../test/support/backends';
import { createMetrics } from '../metrics';
import { startTestApp, type TestApp } from '../../test/support/testApp';

// The app a consumer-only process serves on OPERATIONS_PORT (main.ts).
describe('the operations surface', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('given a consumer process, when probed and scraped, then it answers /healthz, /readyz and its own /metrics', async () => {
    const metrics = createMetrics();
    t = await startTestApp(sqliteBackend, {
      surface: 'operations',
      metrics,
      readiness: [{ name: 'broker', check: () => undefined }],
    });
    metrics.eventsAccepted.inc({ source: 'amqp' }, 3);

    expect((await t.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', broker: 'ok' } });
    const scraped = await t.app.inject('/metrics');
    expect(scraped.statusCode).toBe(200);
    expect(scraped.headers['content-type']).toMatch(/^text\/plain/);
    // The process's own registry: what the consumer counted is what is scraped.
    expect(scraped.body).toMatch(/^events_accepted_total\{source="amqp"\} 3$/m);
  });

  it('given a failing readiness check on the operations surface, when probed, then /readyz answers 503 naming it', async () => {
    t = await startTestApp(sqliteBackend, {
      surface: 'operations',
      readiness: [
        {
          name: 'broker',
          check: () => {
            throw new Error('not connected');
          },
        },
      ],
    });
    const ready = await t.app.inject('/readyz');
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ checks: { database: 'ok', broker: 'failing' } });
  });

  it.each([
    ['GET', '/api/v1/medication_periods/avi123'],
    ['POST', '/api/v1/events'],
    ['GET', '/api/v1/rejected_events'],
    ['GET', '/fhir/r4/metadata'],
    ['GET', '/docs'],
    ['GET', '/openapi.json'],
    ['GET', '/'],
  ] as const)('given no API on this surface, when %s %s, then 404', async (method, url) => {
    t = await startTestApp(sqliteBackend, { surface: 'operations' });
    const response = await t.app.inject({
      method,
      url,
      payload: method === 'POST' ? [] : undefined,
    });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      error: 'not_found',
      message: `no route for ${method} ${url}`,
    });
  });

  it('given OPERATIONS_TOKENS, when scraped without or with a token, then 401 or 200, with security headers', async () => {
    t = await startTestApp(sqliteBackend, {
      surface: 'operations',
      security: { operationsTokens: ['ops-secret-token-0123456789'] },
    });
    const refused = await t.app.inject('/metrics');
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(refused.headers['x-content-type-options']).toBe('nosniff');
    const allowed = await t.app.inject({
      url: '/metrics',
      headers: { authorization: 'Bearer ops-secret-token-0123456789' },
    });
    expect(allowed.statusCode).toBe(200);
  });
});
