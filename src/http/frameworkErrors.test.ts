import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteBackend } from '../../test/support/backends';
import { startTestApp, type TestApp } from '../../test/support/testApp';
import { helmetHeaders } from './plugins/securityHeaders';

describe('errors Fastify raises before routing', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(sqliteBackend);
  });
  afterAll(() => t.close());

  it.each([
    ['a period read', '/api/v1/medication_periods/avi%ZZ123'],
    ['a patient events read', '/api/v1/patients/avi%ZZ123/events'],
  ])(
    'answer a malformed URL of %s with the error contract, not echoing the path',
    async (_name, url) => {
      const response = await t.app.inject({ url });

      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.json()).toEqual({
        error: 'invalid_request',
        message: 'the URL is malformed (a % not followed by two hex digits)',
      });
      expect(response.body).not.toContain('avi');
    },
  );

  it('carry the request id and the security headers of an unrouted answer', async () => {
    const response = await t.app.inject({
      url: '/api/v1/medication_periods/%ZZ',
      headers: { 'x-request-id': 'bad-url-1' },
    });

    expect(response.headers['x-request-id']).toBe('bad-url-1');
    for (const [name, value] of Object.entries(await helmetHeaders()))
      expect(response.headers[name]).toBe(value);
  });

  it('answer a path segment past the router limit with 414 uri_too_long', async () => {
    const response = await t.app.inject({ url: `/api/v1/medication_periods/${'a'.repeat(1100)}` });

    expect(response.statusCode).toBe(414);
    expect(response.json()).toEqual({
      error: 'uri_too_long',
      message: 'a path segment is longer than 1024 characters',
    });
  });
});
