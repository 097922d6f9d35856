import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  describeEachBackend,
  loadDeviceSample,
  nextMillisecond,
  postEvents,
  startTestApp,
  type TestApp,
} from '../../../../../../test/support/testApp';
import { validateEvent } from '../../../../../domain';
import { eventRow } from '../../../../../store/appendEvents';

const period = (medication_name: string, start: string, end: string | null) => ({
  medication_name,
  start_time: `2021-03-${start}.000Z`,
  end_time: end === null ? null : `2021-03-${end}.000Z`,
  status: end === null ? 'active' : 'completed',
});

/** The worked example of docs/semantics.md, per patient, in API order. */
const WORKED_EXAMPLE: Record<string, ReturnType<typeof period>[]> = {
  avi123: [
    period('Propecia', '24T18:23:56', '24T19:23:56'),
    period('Acamol', '24T18:50:56', '24T19:43:56'),
    period('Propecia', '24T19:40:56', '24T21:00:56'),
    period('Multivitamin', '24T23:15:56', null),
    period('Propecia', '25T09:00:56', null),
  ],
  moshe123: [period('Dexamol', '24T19:00:56', '24T19:00:56')],
  haim123: [period('Zinc', '24T20:15:56', '24T23:15:56')],
  dina123: [],
  nobody: [],
};

describeEachBackend('GET /api/v1/medication_periods/:up_id', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
    expect((await postEvents(t.app, loadDeviceSample())).json().accepted).toBe(17);
  });
  afterAll(() => t.close());

  const get = (path: string) => t.app.inject(`/api/v1/medication_periods/${path}`);
  const periods = async (path: string) => {
    const response = await get(path);
    expect(response.statusCode).toBe(200);
    return response.json<{ periods: unknown[] }>().periods;
  };
  const error = async (path: string) => {
    const response = await get(path);
    expect(response.statusCode).toBe(400);
    return response.json<{ error: string; message: string }>();
  };

  it.each(Object.entries(WORKED_EXAMPLE))(
    'gives %s exactly the worked example',
    async (upId, expected) => {
      const response = await get(upId);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ up_id: upId, periods: expected });
    },
  );

  it('sends the stored pre-rendered list byte for byte as the serialized (filtered) path writes it', async () => {
    const names = ['Quote " and \\ backslash', 'Line\u2028separator </script>', 'Émoji 💊 ünïcode'];
    const events = names.map((medication_name, i) => ({
      up_id: 'rendered',
      medication_name,
      action: 'start',
      event_time: `2021-03-2${i}T10:00:00Z`,
    }));
    expect((await postEvents(t.app, events)).json().accepted).toBe(3);
    const stored = await get('rendered');
    // A window from the epoch keeps every period but goes through Fastify's serializer.
    const serialized = await get('rendered?from=1970-01-01T00:00:00Z');
    expect(stored.headers['content-type']).toBe(serialized.headers['content-type']);
    expect(stored.body).toBe(serialized.body);
    expect(
      stored
        .json<{ periods: { medication_name: string }[] }>()
        .periods.map((p) => p.medication_name),
    ).toEqual(names);
  });

  // The contract: the materialized tables answer, and only as_of replays the
  // log. An event written to the log behind the projector's back tells them apart.
  it('given an event in the log that no projection has seen, when read, then only as_of shows it', async () => {
    const start = { up_id: 'tables', medication_name: 'Zinc', action: 'start' };
    expect(
      (await postEvents(t.app, { ...start, event_time: '2021-03-24T10:00:00Z' })).json().accepted,
    ).toBe(1);
    const unseen = { ...start, action: 'stop', event_time: '2021-03-24T11:00:00Z' };
    const checked = validateEvent(unseen);
    if (!checked.ok) throw new Error('the unseen stop must be valid');
    await t.database
      .db('events')
      .insert(
        eventRow(
          { event: checked.event, raw: JSON.stringify(unseen) },
          { source: 'http', receivedAt: await nextMillisecond() },
        ),
      );
    await nextMillisecond();

    const fromTables = [period('Zinc', '24T10:00:00', null)];
    expect(await periods('tables')).toEqual(fromTables);
    expect(await periods('tables?medication=Zinc')).toEqual(fromTables);
    expect(await periods('tables?status=active')).toEqual(fromTables);
    expect(await periods(`tables?as_of=${new Date().toISOString()}`)).toEqual([
      period('Zinc', '24T10:00:00', '24T11:00:00'),
    ]);
  });

  it('trims the id like the domain does', async () => {
    expect((await get('%20avi123%20')).json()).toEqual({
      up_id: 'avi123',
      periods: WORKED_EXAMPLE.avi123,
    });
  });

  it('filters by exact medication name and by status', async () => {
    expect(await periods('avi123?medication=Propecia')).toEqual(
      WORKED_EXAMPLE.avi123!.filter((p) => p.medication_name === 'Propecia'),
    );
    expect(await periods('avi123?medication=propecia')).toEqual([]);
    expect(await periods('avi123?status=active')).toEqual([
      period('Multivitamin', '24T23:15:56', null),
      period('Propecia', '25T09:00:56', null),
    ]);
    expect(await periods('avi123?status=completed&medication=Acamol')).toEqual([
      period('Acamol', '24T18:50:56', '24T19:43:56'),
    ]);
  });

  it('keeps the periods overlapping [from, to), whatever the offset of the bounds', async () => {
    const window = 'from=2021-03-24T19:30:00Z&to=2021-03-24T22:30:00%2B02:00';
    expect(await periods(`avi123?${window}`)).toEqual([
      period('Acamol', '24T18:50:56', '24T19:43:56'),
      period('Propecia', '24T19:40:56', '24T21:00:56'),
    ]);
    // An active period overlaps every window after its start.
    expect(await periods('avi123?from=2030-01-01T00:00:00Z&medication=Propecia')).toEqual([
      period('Propecia', '25T09:00:56', null),
    ]);
    // A period ending exactly at `from` does not overlap; one starting at `to` does not either.
    expect(await periods('avi123?from=2021-03-24T19:23:56Z&to=2021-03-24T19:40:56Z')).toEqual([
      period('Acamol', '24T18:50:56', '24T19:43:56'),
    ]);
  });

  it.each([
    ['from at the instant', 'from=2021-03-24T19:00:56Z', 1],
    ['window starting at it', 'from=2021-03-24T19:00:56Z&to=2021-03-24T19:00:57Z', 1],
    ['window around it', 'from=2021-03-24T19:00:00Z&to=2021-03-24T19:01:00Z', 1],
    ['to at the instant', 'to=2021-03-24T19:00:56Z', 0],
    ['from just after it', 'from=2021-03-24T19:00:56.001Z', 0],
  ])('includes a zero-length period at t when from <= t < to: %s', async (_n, query, count) => {
    expect(await periods(`moshe123?${query}`)).toHaveLength(count);
  });

  it('answers as_of with the periods as they stood from the events received by then', async () => {
    // A patient of its own, so that no other test sees its late stop.
    const event = (medication_name: string, action: string, event_time: string) => ({
      up_id: 'asof1',
      medication_name,
      action,
      event_time,
    });
    await postEvents(t.app, [
      event('Multivitamin', 'start', '2021-03-24T23:15:56Z'),
      event('Propecia', 'start', '2021-03-25T09:00:56Z'),
    ]);
    expect(await periods('asof1?as_of=2000-01-01T00:00:00Z')).toEqual([]);
    const asOf = new Date(await nextMillisecond()).toISOString();
    // The stop is then received strictly after as_of, however fast the POST.
    await nextMillisecond();
    expect(
      (await postEvents(t.app, event('Multivitamin', 'stop', '2021-03-25T08:00:00Z'))).json()
        .accepted,
    ).toBe(1);
    const open = period('Multivitamin', '24T23:15:56', null);
    const closed = period('Multivitamin', '24T23:15:56', '25T08:00:00');
    const propecia = period('Propecia', '25T09:00:56', null);

    expect(await periods(`asof1?as_of=${asOf}`)).toEqual([open, propecia]);
    expect(await periods(`asof1?medication=Multivitamin`)).toEqual([closed]);
    const later = new Date(await nextMillisecond()).toISOString();
    expect(await periods(`asof1?medication=Multivitamin&as_of=${later}`)).toEqual([closed]);
    // Filters apply to the replayed periods too.
    expect(await periods(`asof1?status=active&as_of=${asOf}`)).toEqual([open, propecia]);
    expect(await periods(`asof1?status=active&as_of=${later}`)).toEqual([propecia]);
  });

  it.each([
    ['from=yesterday', 'from'],
    ['from=2021-03-24T19:00:00', 'from'],
    ['to=2021-02-30T00:00:00Z', 'to'],
    ['as_of=now', 'as_of'],
    ['from=', 'from'],
  ])('answers %s with 400 naming the parameter', async (query, field) => {
    const body = await error(`avi123?${query}`);
    expect(body.error).toBe('invalid_parameter');
    expect(body.message).toMatch(
      new RegExp(`^${field}: must be an ISO 8601 date-time with a UTC offset`),
    );
  });

  it("hints at %2B when a '+' offset was decoded to a space", async () => {
    const body = await error('avi123?from=2021-03-24T19:00:00+02:00');
    expect(body.message).toMatch(/^from: .*%2B/);
  });

  it('answers from >= to with 400 naming both', async () => {
    const body = await error('avi123?from=2021-03-24T20:00:00Z&to=2021-03-24T21:00:00%2B01:00');
    expect(body).toEqual({
      error: 'invalid_parameter',
      message: 'from, to: from must be earlier than to (the window is [from, to))',
    });
  });

  it('answers an unknown status with 400 listing the allowed ones', async () => {
    expect(await error('avi123?status=paused')).toEqual({
      error: 'invalid_parameter',
      message: 'status: must be one of active, completed',
    });
  });

  it('answers an unknown parameter (a typo) with 400 naming it and the accepted ones', async () => {
    expect(await error('avi123?satus=active')).toEqual({
      error: 'invalid_parameter',
      message:
        'satus: unknown parameter; accepted parameters are medication, status, from, to, as_of',
    });
  });

  it('answers an empty medication with 400 naming it', async () => {
    expect((await error('avi123?medication=%20')).message).toBe('medication: must not be empty');
  });

  it('accepts a 64-character id and answers a 65-character one with 400 naming up_id', async () => {
    expect(await periods('a'.repeat(64))).toEqual([]);
    expect(await error('a'.repeat(65))).toEqual({
      error: 'invalid_parameter',
      message: 'up_id: must be 1-64 characters after trimming',
    });
    // Longer than Fastify's default path-parameter limit: still a 400, not a 404.
    expect((await error('é'.repeat(200))).message).toMatch(/^up_id: /);
    expect((await error('%20%20')).message).toBe('up_id: must not be empty');
    expect(await periods('avi123')).toHaveLength(5);
  });
});
