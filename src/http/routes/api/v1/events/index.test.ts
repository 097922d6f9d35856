import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TEST_CONFIG,
  describeEachBackend,
  loadDeviceSample,
  postEvents,
  startTestApp,
  type TestApp,
} from '../../../../../../test/support/testApp';

/** Rejections of the device sample (semantics: worked example), by index. */
const SAMPLE_REJECTIONS = [
  { index: 17, reason: 'invalid_action', field: 'action' },
  { index: 18, reason: 'invalid_event_time', field: 'event_time' },
  { index: 19, reason: 'missing_up_id', field: 'up_id' },
  { index: 20, reason: 'missing_medication_name', field: 'medication_name' },
  { index: 21, reason: 'missing_action', field: 'action' },
  { index: 22, reason: 'missing_event_time', field: 'event_time' },
  { index: 23, reason: 'missing_up_id', field: 'up_id' },
];

describeEachBackend('POST /api/v1/events', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(() => t.close());

  const periodsOf = async (upId: string) =>
    (await t.app.inject(`/api/v1/medication_periods/${upId}`)).json<{ periods: unknown[] }>()
      .periods;

  it('given any query parameter, when posting, then it is a 400 naming it and nothing is appended', async () => {
    const event = {
      up_id: 'dry',
      medication_name: 'Zinc',
      action: 'start',
      event_time: '2021-03-24T10:00:00Z',
    };
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/events?dry_run=1',
      payload: [event],
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'invalid_parameter',
      message: 'dry_run: unknown parameter; this route takes none',
    });
    expect(await t.database.db('events').where({ up_id: 'dry' }).count({ n: '*' })).toEqual([
      { n: 0 },
    ]);
  });

  it('accepts 17 events of the device sample and rejects 7, each with its index and reason', async () => {
    const response = await postEvents(t.app, loadDeviceSample());
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.accepted).toBe(17);
    expect(body.duplicates).toBe(0);
    expect(body.rejected).toMatchObject(SAMPLE_REJECTIONS);
    for (const rejected of body.rejected) expect(rejected.message).toMatch(/\S/);
    expect(body.rejected[0].message).toBe(
      'action must be one of start, stop, cancel_start, cancel_stop',
    );
  });

  it('reports every event as a duplicate when the sample is posted again, changing nothing', async () => {
    // Posted here too, so that the test stands alone: the first time, or again after the test above.
    await postEvents(t.app, loadDeviceSample());
    const before = await periodsOf('avi123');
    const response = await postEvents(t.app, loadDeviceSample());
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ accepted: 0, duplicates: 17 });
    expect(response.json().rejected).toMatchObject(SAMPLE_REJECTIONS);
    expect(await periodsOf('avi123')).toEqual(before);
  });

  it('takes a single object as a batch of one (index 0)', async () => {
    const event = {
      up_id: 'single1',
      medication_name: 'Iron',
      action: 'start',
      event_time: '2021-03-24T10:00:00+02:00',
    };
    expect((await postEvents(t.app, event)).json()).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: [],
    });
    expect(await periodsOf('single1')).toEqual([
      {
        medication_name: 'Iron',
        start_time: '2021-03-24T08:00:00.000Z',
        end_time: null,
        status: 'active',
      },
    ]);
    const bad = await postEvents(t.app, { ...event, action: 'pause' });
    expect(bad.statusCode).toBe(200);
    expect(bad.json().rejected).toMatchObject([{ index: 0, reason: 'invalid_action' }]);
  });

  it('answers an empty array with zeros', async () => {
    const response = await postEvents(t.app, []);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ accepted: 0, duplicates: 0, rejected: [] });
  });

  it('rejects non-object items of an array individually', async () => {
    const response = await postEvents(t.app, [42, 'x', null]);
    expect(response.statusCode).toBe(200);
    expect(response.json().rejected).toMatchObject([
      { index: 0, reason: 'not_an_object' },
      { index: 1, reason: 'not_an_object' },
      { index: 2, reason: 'not_an_object' },
    ]);
  });

  it.each([
    ['a string', '"hello"', 'string'],
    ['a number', '42', 'number'],
    ['null', 'null', 'null'],
    ['a boolean', 'true', 'boolean'],
  ])('answers a body that is %s with 400 invalid_body', async (_name, json, got) => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { 'content-type': 'application/json' },
      payload: json,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'invalid_body',
      message: `body must be a JSON object or an array of objects, got ${got}`,
    });
  });

  it.each([
    ['malformed JSON', '{"up_id": "avi123",', 400, 'invalid_json', /not valid JSON/],
    ['an empty body', '', 400, 'invalid_json', /empty/],
    // A __proto__ key is data now (src/http/plugins/securityJsonBody.ts); too deep a body is not.
    [
      'a body nested 100 levels deep',
      `${'['.repeat(100)}${']'.repeat(100)}`,
      400,
      'invalid_json',
      /deeper/,
    ],
    ['bytes that are not UTF-8', Buffer.from([0x5b, 0xff, 0x5d]), 400, 'invalid_utf8', /UTF-8/],
  ])(
    'answers %s with a specific 4xx and keeps serving',
    async (_n, payload, status, code, text) => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/events',
        headers: { 'content-type': 'application/json' },
        payload,
      });
      expect(response.statusCode).toBe(status);
      expect(response.json().error).toBe(code);
      expect(response.json().message).toMatch(text);
      expect((await postEvents(t.app, [])).statusCode).toBe(200);
    },
  );

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/xml'])(
    'answers Content-Type %s with 415 naming application/json',
    async (contentType) => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/events',
        headers: { 'content-type': contentType },
        payload: '{"up_id":"avi123"}',
      });
      expect(response.statusCode).toBe(415);
      expect(response.json()).toEqual({
        error: 'unsupported_media_type',
        message: 'Content-Type must be application/json',
      });
      expect((await postEvents(t.app, [])).statusCode).toBe(200);
    },
  );

  it('accepts application/json with a charset', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      payload: '[]',
    });
    expect(response.statusCode).toBe(200);
  });
});

describeEachBackend('POST /api/v1/events over the body limit', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend, { config: { ...TEST_CONFIG, BODY_LIMIT_BYTES: 1024 } });
  });
  afterAll(() => t.close());

  it('answers 413 payload_too_large, stores nothing, and keeps serving', async () => {
    const big = Array.from({ length: 40 }, (_, i) => ({
      up_id: 'big1',
      medication_name: 'Iron',
      action: 'start',
      event_time: `2021-03-24T10:${String(i).padStart(2, '0')}:00Z`,
    }));
    const response = await postEvents(t.app, big);
    expect(response.statusCode).toBe(413);
    expect(response.json()).toEqual({
      error: 'payload_too_large',
      message: 'request body is larger than the limit of 1024 bytes',
    });
    const after = await t.app.inject('/api/v1/medication_periods/big1');
    expect(after.statusCode).toBe(200);
    expect(after.json().periods).toEqual([]);
    expect((await postEvents(t.app, big.slice(0, 2))).json().accepted).toBe(2);
  });
});

describe('the test fixture', () => {
  it('is the 24-item device sample', () => {
    expect(loadDeviceSample()).toHaveLength(24);
  });
});
