import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  describeEachBackend,
  loadDeviceSample,
  postEvents,
  startTestApp,
  type TestApp,
} from '../../../../../../test/support/testApp';

describeEachBackend('GET /api/v1/patients/:up_id/{events,anomalies}', (backend) => {
  let t: TestApp;
  let postedAt: { before: number; after: number };
  beforeAll(async () => {
    t = await startTestApp(backend);
    const before = Date.now();
    await postEvents(t.app, loadDeviceSample());
    postedAt = { before, after: Date.now() };
  });
  afterAll(() => t.close());

  it("lists a patient's accepted events in stream order, with received_at and source", async () => {
    const response = await t.app.inject('/api/v1/patients/haim123/events');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.up_id).toBe('haim123');
    expect(
      body.events.map((e: { action: string; event_time: string }) => [e.action, e.event_time]),
    ).toEqual([
      ['start', '2021-03-24T20:15:56.000Z'],
      ['stop', '2021-03-24T21:15:56.000Z'],
      ['cancel_stop', '2021-03-24T22:15:56.000Z'],
      ['stop', '2021-03-24T23:15:56.000Z'],
    ]);
    for (const event of body.events) {
      expect(event).toMatchObject({ medication_name: 'Zinc', source: 'http', event_id: null });
      expect(event.dedupe_key).toMatch(/^h:[0-9a-f]{64}$/);
      expect(Number.isInteger(event.seq)).toBe(true);
      const receivedAt = Date.parse(event.received_at);
      expect(receivedAt).toBeGreaterThanOrEqual(postedAt.before);
      expect(receivedAt).toBeLessThanOrEqual(postedAt.after);
    }
  });

  it('given events that arrived out of order, when listed, then they come in stream order, a stop posted before its same-instant start included', async () => {
    const avi = (await t.app.inject('/api/v1/patients/avi123/events')).json().events as {
      medication_name: string;
      action: string;
      event_time: string;
    }[];
    // The device sample sends Propecia's stop at 19:23 before its start at 18:23.
    expect(
      avi.filter((e) => e.medication_name === 'Propecia').map((e) => [e.action, e.event_time]),
    ).toEqual([
      ['start', '2021-03-24T18:23:56.000Z'],
      ['stop', '2021-03-24T19:23:56.000Z'],
      ['start', '2021-03-24T19:40:56.000Z'],
      ['stop', '2021-03-24T21:00:56.000Z'],
      ['start', '2021-03-25T09:00:56.000Z'],
    ]);
    const at = '2021-03-24T08:00:00Z';
    await postEvents(t.app, [
      { up_id: 'order1', medication_name: 'Iron', action: 'cancel_stop', event_time: at },
      { up_id: 'order1', medication_name: 'Iron', action: 'stop', event_time: at },
      { up_id: 'order1', medication_name: 'Iron', action: 'cancel_start', event_time: at },
      { up_id: 'order1', medication_name: 'Iron', action: 'start', event_time: at },
    ]);
    const order1 = (await t.app.inject('/api/v1/patients/order1/events')).json().events;
    expect(order1.map((e: { action: string }) => e.action)).toEqual([
      'start',
      'cancel_start',
      'stop',
      'cancel_stop',
    ]);
  });

  it('groups events by medication and keeps the device event_id', async () => {
    await postEvents(t.app, {
      up_id: 'ids1',
      medication_name: 'Iron',
      action: 'start',
      event_time: '2021-03-24T10:00:00Z',
      event_id: 'dev-42',
    });
    const events = (await t.app.inject('/api/v1/patients/ids1/events')).json().events;
    expect(events).toMatchObject([{ event_id: 'dev-42', dedupe_key: 'id:dev-42' }]);
    const avi = (await t.app.inject('/api/v1/patients/avi123/events')).json().events;
    expect(avi.map((e: { medication_name: string }) => e.medication_name)).toEqual([
      'Acamol',
      'Acamol',
      'Multivitamin',
      'Propecia',
      'Propecia',
      'Propecia',
      'Propecia',
      'Propecia',
      'Zinc',
    ]);
  });

  it("lists avi123's lone Zinc stop as an unmatched_stop naming its event", async () => {
    const response = await t.app.inject('/api/v1/patients/avi123/anomalies');
    expect(response.statusCode).toBe(200);
    const zincStop = (await t.app.inject('/api/v1/patients/avi123/events'))
      .json()
      .events.find((e: { medication_name: string }) => e.medication_name === 'Zinc');
    expect(response.json()).toEqual({
      up_id: 'avi123',
      anomalies: [
        {
          code: 'unmatched_stop',
          message: 'stop with no active period; ignored',
          medication_name: 'Zinc',
          event: {
            action: 'stop',
            event_time: '2021-03-24T23:15:56.000Z',
            dedupe_key: zincStop.dedupe_key,
          },
        },
      ],
    });
  });

  it.each(['dina123', 'haim123', 'moshe123', 'nobody'])('lists no anomaly for %s', async (id) => {
    expect((await t.app.inject(`/api/v1/patients/${id}/anomalies`)).json()).toEqual({
      up_id: id,
      anomalies: [],
    });
  });

  it('explains every anomaly code', async () => {
    await postEvents(t.app, [
      {
        up_id: 'odd1',
        medication_name: 'Iron',
        action: 'cancel_start',
        event_time: '2021-03-24T09:00:00Z',
      },
      {
        up_id: 'odd1',
        medication_name: 'Iron',
        action: 'cancel_stop',
        event_time: '2021-03-24T09:30:00Z',
      },
      {
        up_id: 'odd1',
        medication_name: 'Iron',
        action: 'start',
        event_time: '2021-03-24T10:00:00Z',
      },
      {
        up_id: 'odd1',
        medication_name: 'Iron',
        action: 'start',
        event_time: '2021-03-24T11:00:00Z',
      },
    ]);
    const anomalies = (await t.app.inject('/api/v1/patients/odd1/anomalies')).json().anomalies;
    expect(anomalies.map((a: { code: string; message: string }) => [a.code, a.message])).toEqual([
      ['unmatched_cancel_start', 'cancel_start with no earlier start left to cancel'],
      ['unmatched_cancel_stop', 'cancel_stop with no earlier stop left to cancel'],
      [
        'duplicate_start',
        'start while a period was already active; the period keeps its earlier start',
      ],
    ]);
  });

  it.each(['events', 'anomalies'])(
    'answers a 65-character id on /%s with 400 naming up_id',
    async (what) => {
      const response = await t.app.inject(`/api/v1/patients/${'p'.repeat(65)}/${what}`);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({
        error: 'invalid_parameter',
        message: 'up_id: must be 1-64 characters after trimming',
      });
    },
  );

  it('answers a query parameter on patient routes (which take none) with 400 naming it', async () => {
    const response = await t.app.inject('/api/v1/patients/avi123/events?medication=Zinc');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'invalid_parameter',
      message: 'medication: unknown parameter; this route takes none',
    });
  });
});
