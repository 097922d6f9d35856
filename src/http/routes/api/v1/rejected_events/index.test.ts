import { afterAll, beforeAll, expect, it } from 'vitest';
import { rejection } from '../../../../../domain';
import { ingest } from '../../../../../store/writePath';
import {
  describeEachBackend,
  loadDeviceSample,
  postEvents,
  startTestApp,
  type TestApp,
} from '../../../../../../test/support/testApp';

interface Page {
  rejected_events: Array<{ id: number; reason: string; raw_payload: string; source: string }>;
  next_before: number | null;
}

describeEachBackend('GET /api/v1/rejected_events', (backend) => {
  let t: TestApp;
  const sample = loadDeviceSample();
  beforeAll(async () => {
    t = await startTestApp(backend);
    await postEvents(t.app, sample);
  });
  afterAll(() => t.close());

  const page = async (query: string) => {
    const response = await t.app.inject(`/api/v1/rejected_events${query}`);
    expect(response.statusCode).toBe(200);
    return response.json<Page>();
  };

  it('lists the 7 rejected sample items newest first, each with its raw payload', async () => {
    const { rejected_events: rows, next_before } = await page('');
    expect(next_before).toBeNull();
    expect(rows.map((r) => r.reason)).toEqual([
      'missing_up_id',
      'missing_event_time',
      'missing_action',
      'missing_medication_name',
      'missing_up_id',
      'invalid_event_time',
      'invalid_action',
    ]);
    expect(rows.map((r) => r.id)).toEqual([...rows.map((r) => r.id)].sort((a, b) => b - a));
    expect(rows[0]).toMatchObject({ raw_payload: '{}', source: 'http', field: 'up_id' });
    expect(JSON.parse(rows[6]!.raw_payload)).toEqual(sample[17]);
    expect(rows[6]).not.toHaveProperty('raw_payload_base64');
    expect(
      Number.isNaN(Date.parse((rows[0] as unknown as { received_at: string }).received_at)),
    ).toBe(false);
  });

  it('pages with limit and before until next_before is null', async () => {
    const all = (await page('')).rejected_events.map((r) => r.id);
    const first = await page('?limit=3');
    expect(first.rejected_events.map((r) => r.id)).toEqual(all.slice(0, 3));
    expect(first.next_before).toBe(all[2]);
    const second = await page(`?limit=3&before=${first.next_before}`);
    expect(second.rejected_events.map((r) => r.id)).toEqual(all.slice(3, 6));
    const third = await page(`?limit=3&before=${second.next_before}`);
    expect(third.rejected_events.map((r) => r.id)).toEqual(all.slice(6));
    expect(third.next_before).toBeNull();
    // An exact fit gives no dangling empty page.
    expect((await page('?limit=7')).next_before).toBeNull();
  });

  it('filters by source and reason', async () => {
    expect((await page('?reason=invalid_action')).rejected_events).toHaveLength(1);
    expect((await page('?reason=missing_up_id&source=http')).rejected_events).toHaveLength(2);
    expect((await page('?source=amqp')).rejected_events).toEqual([]);
  });

  it('gives the exact bytes in base64 when a payload is not UTF-8', async () => {
    const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    await ingest(
      t.database.db,
      [{ rejection: rejection('invalid_utf8', null, 'not UTF-8'), raw: bytes }],
      {
        source: 'amqp',
      },
    );
    const [row] = (await page('?source=amqp')).rejected_events;
    expect(row).toMatchObject({
      reason: 'invalid_utf8',
      raw_payload: '{\uFFFD\uFFFD}',
      raw_payload_base64: bytes.toString('base64'),
    });
  });

  it.each([
    ['?limit=0', 'limit: must be >= 1'],
    ['?limit=501', 'limit: must be <= 500'],
    ['?limit=ten', 'limit: must be an integer'],
    ['?before=abc', 'before: must be an integer'],
    ['?source=ftp', 'source: must be one of http, amqp'],
    [
      '?order=asc',
      'order: unknown parameter; accepted parameters are limit, before, source, reason',
    ],
  ])('answers %s with 400 naming the parameter', async (query, message) => {
    const response = await t.app.inject(`/api/v1/rejected_events${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'invalid_parameter', message });
  });

  it('answers an unknown reason with 400 listing the known ones', async () => {
    const response = await t.app.inject('/api/v1/rejected_events?reason=bogus');
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/^reason: must be one of invalid_json, /);
  });
});
