import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  describeEachBackend,
  postEvents,
  startTestApp,
  type TestApp,
} from '../../test/support/testApp';

const ev = (over: Record<string, unknown>) => ({
  up_id: 'hostile1',
  medication_name: 'Zinc',
  action: 'start',
  event_time: '2021-03-24T10:00:00Z',
  ...over,
});
const post = (t: TestApp, text: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/events',
    headers: { 'content-type': 'application/json' },
    payload: text,
  });

describeEachBackend('hand-written hostile input', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(() => t?.close());

  it('keeps __proto__, constructor and prototype keys as plain data: accepted, stored as sent, nothing polluted', async () => {
    const text =
      '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"prototype":1,' +
      '"up_id":"proto1","medication_name":"Zinc","action":"start","event_time":"2021-03-24T10:00:00Z"}';
    const response = await post(t, `[${text}]`);
    expect(response.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    const [row] = await t.database.db('events').where('up_id', 'proto1').select('raw_payload');
    expect(JSON.parse(String(row.raw_payload))).toEqual(JSON.parse(text));
    expect(String(row.raw_payload)).toContain('"__proto__":{"polluted":"yes"}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects an item whose only up_id is inside __proto__, and keeps the key in the stored payload', async () => {
    const response = await post(
      t,
      '{"__proto__":{"up_id":"p"},"medication_name":"Z","action":"start","event_time":"2021-03-24T10:00:00Z"}',
    );
    expect(response.json().rejected[0].reason).toBe('missing_up_id');
    const list = await t.app.inject('/api/v1/rejected_events?limit=1');
    expect(list.json().rejected_events[0].raw_payload).toContain('"__proto__":{"up_id":"p"}');
  });

  it.each([
    'a/b/c',
    '../x',
    '患者/💊',
    'p?q=1#f',
    '%2F',
    "o'brien; DROP TABLE periods;--",
    '<b>x</b>',
  ])(
    'finds the patient %s again by its URL-encoded id, strings exactly as stored',
    async (upId) => {
      const medication = `<script>alert("${upId}")</script>`;
      const response = await postEvents(t.app, [ev({ up_id: upId, medication_name: medication })]);
      expect(response.json().accepted).toBe(1);
      const got = await t.app.inject(`/api/v1/medication_periods/${encodeURIComponent(upId)}`);
      expect(got.statusCode).toBe(200);
      expect(got.json()).toEqual({
        up_id: upId,
        periods: [
          {
            medication_name: medication,
            start_time: '2021-03-24T10:00:00.000Z',
            end_time: null,
            status: 'active',
          },
        ],
      });
      expect(got.headers['content-type']).toMatch(/^application\/json/);
    },
  );

  it.each([
    ['2024-02-29T12:00:00Z', '2024-02-29T12:00:00.000Z'],
    ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
    ['2021-03-24T10:00:00+14:00', '2021-03-23T20:00:00.000Z'],
    ['2021-03-24T10:00:00-14:00', '2021-03-25T00:00:00.000Z'],
    ['2021-03-24T10:00:00.123999999Z', '2021-03-24T10:00:00.123Z'],
  ])('accepts the edge time %s as %s', async (time, stored) => {
    const upId = `edge-${time}`.slice(0, 64);
    expect((await postEvents(t.app, [ev({ up_id: upId, event_time: time })])).json().accepted).toBe(
      1,
    );
    const got = await t.app.inject(`/api/v1/patients/${encodeURIComponent(upId)}/events`);
    expect(got.json().events[0].event_time).toBe(stored);
  });

  it.each([
    '2023-02-29T12:00:00Z',
    '2021-03-24T10:00:00+24:00',
    '+275760-09-14T00:00:00Z',
    '2021-03-24T10:00:00',
  ])('rejects the impossible time %s with a reason', async (time) => {
    const response = await postEvents(t.app, [ev({ event_time: time })]);
    expect(response.json().rejected[0].reason).toMatch(/event_time|time_offset/);
  });

  it('rejects a 900,000-character up_id as field_too_long, and a body over the limit with 413', async () => {
    const huge = await postEvents(t.app, [ev({ up_id: 'x'.repeat(900_000) })]);
    expect(huge.json().rejected[0].reason).toBe('field_too_long');
    const tooBig = await postEvents(t.app, [ev({ up_id: 'x'.repeat(1_100_000) })]);
    expect(tooBig.statusCode).toBe(413);
  });

  it('answers a body nested deeper than 64 levels 400, and 64 levels are fine', async () => {
    const deep = await post(t, `${'['.repeat(65)}${']'.repeat(65)}`);
    expect(deep.json()).toEqual({
      error: 'invalid_json',
      message: 'request body is nested deeper than 64 levels',
    });
    const ok = await post(t, `[${'{"a":'.repeat(62)}1${'}'.repeat(62)}]`);
    expect(ok.json().rejected[0].reason).toBe('missing_up_id');
  });

  it('answers bytes that are not UTF-8 400 invalid_utf8 instead of silently replacing them', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { 'content-type': 'application/json' },
      payload: Buffer.concat([
        Buffer.from('{"up_id":"'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('"}'),
      ]),
    });
    expect(response.json()).toEqual({
      error: 'invalid_utf8',
      message: 'request body is not valid UTF-8',
    });
  });

  // utf8mb4_bin is a PAD SPACE collation: it made 'id:dev-7' and 'id:dev-7 ' collide on the
  // unique dedupe_key (a 500). The tables now use a NO PAD binary collation (migrations/tableOptions.ts).
  it('keeps event ids that differ only by trailing spaces apart (the id is not trimmed)', async () => {
    const response = await postEvents(t.app, [
      ev({ up_id: 'pad1', event_id: 'dev-7' }),
      ev({ up_id: 'pad1', event_id: 'dev-7 ', event_time: '2021-03-24T11:00:00Z' }),
    ]);
    expect(response.json()).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
  });
});
