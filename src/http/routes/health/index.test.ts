import { afterEach, describe, expect, it } from 'vitest';
import { sqliteBackend } from '../../../../test/support/backends';
import type { ReadinessCheck } from '../../readiness';
import { startTestApp, type TestApp } from '../../../../test/support/testApp';

describe('GET /healthz and /readyz', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const brokerCheck = (healthy: boolean): ReadinessCheck => ({
    name: 'broker',
    check() {
      if (!healthy) throw new Error('amqp://user:s3cret@rabbit:5672 refused');
    },
  });

  it('answers /healthz with ok', async () => {
    t = await startTestApp(sqliteBackend);
    const response = await t.app.inject('/healthz');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('is ready when the database and every extra check answer', async () => {
    t = await startTestApp(sqliteBackend, { readiness: [brokerCheck(true)] });
    const response = await t.app.inject('/readyz');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'ready',
      checks: { database: 'ok', broker: 'ok' },
    });
  });

  it('answers 503 naming the failing check, without its error', async () => {
    t = await startTestApp(sqliteBackend, { readiness: [brokerCheck(false)] });
    const response = await t.app.inject('/readyz');
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({
      error: 'not_ready',
      message: 'failing checks: broker',
      status: 'not_ready',
      checks: { database: 'ok', broker: 'failing' },
    });
    expect(response.body).not.toMatch(/s3cret|amqp:/);
  });

  it('answers 503 naming the database when it does not answer', async () => {
    t = await startTestApp(sqliteBackend);
    await t.database.db.destroy();
    const response = await t.app.inject('/readyz');
    expect(response.statusCode).toBe(503);
    expect(response.json().checks).toEqual({ database: 'failing' });
    expect((await t.app.inject('/healthz')).statusCode).toBe(200);
  });
});
