import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteBackend } from '../../test/support/backends';
import {
  captureLogs,
  loadDeviceSample,
  postEvents,
  startTestApp,
  type CapturedLogs,
  type TestApp,
} from '../../test/support/testApp';

// These are about the HTTP layer, not the database: SQLite in memory suffices.

describe('unknown routes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(sqliteBackend);
  });
  afterAll(() => t.close());

  it.each(['/nope', '/api/v1/medication_periods', '/api/v2/medication_periods/avi123'])(
    'answers GET %s with 404 not_found',
    async (url) => {
      const response = await t.app.inject(url);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ error: 'not_found', message: `no route for GET ${url}` });
    },
  );

  it('answers a wrong method with 404 too', async () => {
    const response = await t.app.inject({ method: 'DELETE', url: '/api/v1/events' });
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toBe('not_found');
  });
});

describe('an error thrown inside a route', () => {
  let t: TestApp;
  let logs: CapturedLogs;
  beforeAll(async () => {
    logs = captureLogs('info');
    const boom = async (): Promise<never> => {
      // Shaped like a knex error: SQL with a bound patient id in the message.
      throw new Error("select * from periods where up_id = 'avi123' - SQLITE_BUSY");
    };
    t = await startTestApp(sqliteBackend, {
      logger: logs.logger,
      repositories: { periodsRepository: { list: boom, listAsOf: boom, snapshot: boom } },
    });
  });
  afterAll(() => t.close());

  it('becomes a 500 internal_error without stack or message, and the server keeps serving', async () => {
    const response = await t.app.inject('/api/v1/medication_periods/avi123');
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({
      error: 'internal_error',
      message: 'internal server error; see the server log',
    });
    expect(response.body).not.toMatch(/avi123|SQLITE|at .*\.ts/);
    expect((await t.app.inject('/healthz')).statusCode).toBe(200);
  });

  it('is logged at error level with its stack, but without the message that holds the id', async () => {
    expect((await t.app.inject('/api/v1/medication_periods/avi123')).statusCode).toBe(500);
    const errorLines = logs.lines().filter((line) => line.level === 50);
    expect(errorLines.length).toBeGreaterThan(0);
    expect(errorLines[0]).toMatchObject({
      errType: 'Error',
      route: '/api/v1/medication_periods/:up_id',
    });
    expect(String(errorLines[0]!.stack)).toMatch(/at /);
    expect(JSON.stringify(logs.lines())).not.toMatch(/avi123/);
  });
});

describe('a database outage inside a route', () => {
  let t: TestApp;
  beforeAll(async () => {
    const down = async (): Promise<never> => {
      // As mysql2 reports a refused connection (knex adds the SQL to the message).
      throw Object.assign(
        new Error("select * from periods where up_id = 'avi123' - connect ECONNREFUSED"),
        {
          code: 'ECONNREFUSED',
        },
      );
    };
    t = await startTestApp(sqliteBackend, {
      repositories: { periodsRepository: { list: down, listAsOf: down, snapshot: down } },
    });
  });
  afterAll(() => t.close());

  it('becomes a 503 database_unavailable with Retry-After, so clients know to retry', async () => {
    const response = await t.app.inject('/api/v1/medication_periods/avi123');
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json()).toEqual({
      error: 'database_unavailable',
      message: 'the database is unavailable right now; retry shortly',
    });
    expect(response.body).not.toMatch(/avi123|ECONN/);
  });

  it('is a 503 OperationOutcome (transient) with Retry-After on the FHIR routes too', async () => {
    const response = await t.app.inject('/fhir/r4/MedicationAdministration?subject=Patient/avi123');
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(response.json()).toEqual({
      resourceType: 'OperationOutcome',
      issue: [
        {
          severity: 'error',
          code: 'transient',
          diagnostics: 'the database is unavailable right now; retry shortly',
        },
      ],
    });
    expect(response.body).not.toMatch(/avi123|ECONN/);
  });
});

describe('logging and request ids', () => {
  let t: TestApp;
  let logs: CapturedLogs;
  beforeAll(async () => {
    logs = captureLogs('info');
    t = await startTestApp(sqliteBackend, { logger: logs.logger });
  });
  afterAll(() => t.close());

  it('never logs patient ids or payloads at info', async () => {
    await postEvents(t.app, loadDeviceSample());
    await t.app.inject('/api/v1/medication_periods/avi123?medication=Propecia');
    await t.app.inject('/api/v1/patients/moshe123/events');
    await t.app.inject('/api/v1/medication_periods/dina123?from=bad');
    await t.app.inject('/api/v1/nothing/haim123');
    const text = JSON.stringify(logs.lines());
    expect(text).toMatch(/request completed/);
    expect(text).toMatch(/"route":"\/api\/v1\/medication_periods\/:up_id"/);
    expect(text).not.toMatch(/avi123|moshe123|dina123|haim123|Propecia|2021-03/);
  });

  it("echoes a caller's plain X-Request-Id and replaces a hostile one", async () => {
    const plain = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
    expect(plain.headers['x-request-id']).toBe('abc-123');
    const hostile = await t.app.inject({
      url: '/healthz',
      headers: { 'x-request-id': 'x\n{"level":60}'.padEnd(80, '!') },
    });
    expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
