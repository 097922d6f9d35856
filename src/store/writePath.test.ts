import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends, type TestDatabase } from '../../test/support/backends';
import { WORKED_EXAMPLE, loadDeviceSample } from '../../test/support/deviceSample';
import { projectStream, validateEvent, type ValidEvent } from '../domain';
import { listAnomalies } from './anomaliesRepository';
import { createDb } from './db';
import { listPatientEvents } from './eventsRepository';
import { listPeriods, listPeriodsAsOf } from './periodsRepository';
import { listRejectedEvents } from './rejectedEventsRepository';
import { ingest, type CommittedWrite } from './writePath';

const asItems = (payloads: unknown[]) => payloads.map((payload) => ({ payload }));
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

async function periodsTable(db: Knex, upId: string) {
  return (await listPeriods(db, upId, {})).map((p) => [
    p.medicationName,
    iso(p.startTime),
    iso(p.endTime),
    p.status,
  ]);
}

/** Deterministic shuffle, so a failure can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe.each(backends)('write path on $name', (backend) => {
  let t: TestDatabase;
  beforeEach(async (context) => {
    if (!backend.available) return context.skip();
    t = await backend.create();
  });
  afterEach(async () => t?.destroy());

  it('turns the device sample into exactly the worked example, with 7 reasoned rejections', async () => {
    const result = await ingest(t.db, asItems(loadDeviceSample()), { source: 'http' });
    expect(result.accepted).toBe(17);
    expect(result.duplicates).toBe(0);
    expect(result.rejected.map((r) => [r.index, r.reason])).toEqual([
      [17, 'invalid_action'],
      [18, 'invalid_event_time'],
      [19, 'missing_up_id'],
      [20, 'missing_medication_name'],
      [21, 'missing_action'],
      [22, 'missing_event_time'],
      [23, 'missing_up_id'],
    ]);
    for (const [upId, expected] of Object.entries(WORKED_EXAMPLE)) {
      expect(await periodsTable(t.db, upId)).toEqual(expected);
    }
    const anomalies = await listAnomalies(t.db, 'avi123');
    expect(anomalies.map((a) => [a.medicationName, a.code, a.action, iso(a.eventTime)])).toEqual([
      ['Zinc', 'unmatched_stop', 'stop', '2021-03-24T23:15:56.000Z'],
    ]);
    const rejected = await listRejectedEvents(t.db, { limit: 50 });
    expect(rejected).toHaveLength(7);
    expect(JSON.parse(rejected[rejected.length - 1]!.rawPayload.toString('utf8'))).toMatchObject({
      action: 'ppp',
    });
  });

  it('given one call of 1,200 new events over 600 streams, when ingested, then every event, period and list is written', async () => {
    // SQLite caps a compound SELECT (knex's multi-row INSERT there) at 500 terms.
    const events = Array.from({ length: 1_200 }, (_, i) => ({
      up_id: `bulk${i % 300}`,
      medication_name: i % 600 < 300 ? 'Zinc' : 'Iron',
      action: i < 600 ? 'start' : 'stop',
      event_time: new Date(Date.UTC(2021, 0, 1) + i * 60_000).toISOString(),
    }));
    const result = await ingest(t.db, asItems(events), { source: 'http' });
    expect(result).toMatchObject({ accepted: 1_200, duplicates: 0, rejected: [] });
    expect(await t.db('periods').count({ n: '*' })).toEqual([{ n: 600 }]);
    expect(await t.db('patient_period_lists').count({ n: '*' })).toEqual([{ n: 300 }]);
    expect(await periodsTable(t.db, 'bulk7')).toEqual([
      [
        'Zinc',
        iso(Date.UTC(2021, 0, 1) + 7 * 60_000),
        iso(Date.UTC(2021, 0, 1) + 607 * 60_000),
        'completed',
      ],
      [
        'Iron',
        iso(Date.UTC(2021, 0, 1) + 307 * 60_000),
        iso(Date.UTC(2021, 0, 1) + 907 * 60_000),
        'completed',
      ],
    ]);
  });

  it('counts a second delivery of the same file as 17 duplicates and changes no period', async () => {
    await ingest(t.db, asItems(loadDeviceSample()), { source: 'http' });
    const before = await periodsTable(t.db, 'avi123');
    const again = await ingest(t.db, asItems(loadDeviceSample()), { source: 'amqp' });
    expect([again.accepted, again.duplicates, again.rejected.length]).toEqual([0, 17, 7]);
    expect(await periodsTable(t.db, 'avi123')).toEqual(before);
    expect(await listPatientEvents(t.db, 'avi123')).toHaveLength(9);
  });

  it('gives the same periods for shuffled, duplicated, re-offset and late arrival in many batches', async () => {
    const sample = loadDeviceSample();
    const reOffset = sample.map((item) => {
      const e = item as Record<string, string>;
      // The same instant written in another offset (+05:30) must be the same event.
      const parsed = validateEvent(e);
      if (!parsed.ok) return item;
      const local = new Date(parsed.event.eventTime + 5.5 * 3600_000)
        .toISOString()
        .replace('.000Z', '+05:30');
      return { ...e, event_time: local };
    });
    const arrivals = shuffled([...sample, ...reOffset, ...sample.slice(0, 5)], 7);
    let accepted = 0;
    for (let i = 0; i < arrivals.length; i += 4) {
      accepted += (
        await ingest(t.db, asItems(arrivals.slice(i, i + 4)), { source: 'http', receivedAt: i })
      ).accepted;
    }
    expect(accepted).toBe(17);
    for (const [upId, expected] of Object.entries(WORKED_EXAMPLE)) {
      expect(await periodsTable(t.db, upId)).toEqual(expected);
    }
  });

  it('re-projects a stream when a late event lands before earlier-received ones', async () => {
    const ev = (action: string, time: string) => ({
      up_id: 'p1',
      medication_name: 'Iron',
      action,
      event_time: time,
    });
    await ingest(
      t.db,
      asItems([ev('start', '2024-01-01T10:00:00Z'), ev('stop', '2024-01-01T12:00:00Z')]),
      {
        source: 'http',
      },
    );
    expect(await periodsTable(t.db, 'p1')).toEqual([
      ['Iron', '2024-01-01T10:00:00.000Z', '2024-01-01T12:00:00.000Z', 'completed'],
    ]);
    // A cancel of that start, received later but timed before the stop.
    await ingest(t.db, asItems([ev('cancel_start', '2024-01-01T11:00:00Z')]), { source: 'http' });
    expect(await periodsTable(t.db, 'p1')).toEqual([]);
    expect((await listAnomalies(t.db, 'p1')).map((a) => a.code)).toEqual(['unmatched_stop']);
    // An earlier start, received last, opens a period that the stop closes.
    await ingest(t.db, asItems([ev('start', '2024-01-01T09:00:00+01:00')]), { source: 'http' });
    expect(await periodsTable(t.db, 'p1')).toEqual([
      ['Iron', '2024-01-01T08:00:00.000Z', '2024-01-01T12:00:00.000Z', 'completed'],
    ]);
    expect(await listAnomalies(t.db, 'p1')).toEqual([]);
  });

  it('treats an event_id as the idempotency key: a reused id is a duplicate even with other content, and the logged event stands', async () => {
    const e = {
      up_id: 'p2',
      medication_name: 'Zinc',
      action: 'start',
      event_time: '2024-02-01T08:00:00Z',
      event_id: 'dev-1',
    };
    expect((await ingest(t.db, asItems([e]), { source: 'http' })).accepted).toBe(1);
    const committed: CommittedWrite[] = [];
    const again = await ingest(t.db, asItems([e, { ...e, event_time: '2024-02-01T09:00:00Z' }]), {
      source: 'http',
      observer: { onCommitted: (write) => committed.push(write) },
    });
    expect(again).toEqual({ accepted: 0, duplicates: 2, rejected: [] });
    expect(committed.map((w) => [w.duplicates, w.eventIdConflicts])).toEqual([[2, 1]]);
    expect(await listRejectedEvents(t.db, { limit: 5 })).toEqual([]);
    expect(await periodsTable(t.db, 'p2')).toEqual([
      ['Zinc', '2024-02-01T08:00:00.000Z', null, 'active'],
    ]);
  });

  it('keeps the raw bytes of items that could not be decoded', async () => {
    const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    const result = await ingest(
      t.db,
      [
        {
          rejection: { reason: 'invalid_utf8', field: null, message: 'body is not UTF-8' },
          raw: bytes,
        },
      ],
      { source: 'amqp' },
    );
    expect(result.rejected).toEqual([
      expect.objectContaining({ index: 0, reason: 'invalid_utf8' }),
    ]);
    const [row] = await listRejectedEvents(t.db, { limit: 1, source: 'amqp' });
    expect(row!.rawPayload.equals(bytes)).toBe(true);
  });

  it('compares identifiers exactly: case and trailing spaces of the raw input do not merge streams wrongly', async () => {
    const ev = (up_id: string, medication_name: string) => ({
      up_id,
      medication_name,
      action: 'start',
      event_time: '2024-03-01T00:00:00Z',
    });
    const result = await ingest(
      t.db,
      asItems([ev('P3', 'Iron'), ev('p3', 'iron'), ev(' P3 ', 'Iron ')]),
      { source: 'http' },
    );
    expect([result.accepted, result.duplicates]).toEqual([2, 1]);
    expect((await listPeriods(t.db, 'p3', {})).map((p) => p.medicationName)).toEqual(['iron']);
    expect(await listPeriods(t.db, 'P3', {})).toHaveLength(1);
  });

  it('refuses UPDATE and DELETE on the event log', async () => {
    await ingest(t.db, asItems(loadDeviceSample()), { source: 'http' });
    await expect(t.db.raw("UPDATE events SET action = 'stop'")).rejects.toThrow(/append-only/);
    await expect(t.db.raw('DELETE FROM events')).rejects.toThrow(/append-only/);
    await expect(t.db('events').where('up_id', 'avi123').delete()).rejects.toThrow(/append-only/);
    expect(await listPatientEvents(t.db, 'avi123')).toHaveLength(9);
  });

  it('answers as_of from the log: only events received by then count', async () => {
    const ev = (action: string, time: string) => ({
      up_id: 'p4',
      medication_name: 'Iron',
      action,
      event_time: time,
    });
    await ingest(t.db, asItems([ev('start', '2024-01-01T10:00:00Z')]), {
      source: 'http',
      receivedAt: 1000,
    });
    await ingest(t.db, asItems([ev('stop', '2024-01-01T11:00:00Z')]), {
      source: 'http',
      receivedAt: 2000,
    });
    const at = async (asOf: number) =>
      (await listPeriodsAsOf(t.db, 'p4', asOf, {})).map((p) => [p.status, iso(p.endTime)]);
    expect(await at(999)).toEqual([]);
    expect(await at(1500)).toEqual([['active', null]]);
    expect(await at(2000)).toEqual([['completed', '2024-01-01T11:00:00.000Z']]);
  });

  it('filters periods by medication, status and the [from, to) window, zero-length periods included', async () => {
    await ingest(t.db, asItems(loadDeviceSample()), { source: 'http' });
    const ms = (s: string) => Date.parse(s);
    const names = async (upId: string, filter: Parameters<typeof listPeriods>[2]) =>
      (await listPeriods(t.db, upId, filter)).map((p) => `${p.medicationName}@${iso(p.startTime)}`);
    expect(await names('avi123', { medication: 'Propecia', status: 'active' })).toEqual([
      'Propecia@2021-03-25T09:00:56.000Z',
    ]);
    expect(
      await names('avi123', { from: ms('2021-03-24T19:30:00Z'), to: ms('2021-03-24T23:15:56Z') }),
    ).toEqual(['Acamol@2021-03-24T18:50:56.000Z', 'Propecia@2021-03-24T19:40:56.000Z']);
    expect(
      await names('moshe123', { from: ms('2021-03-24T19:00:56Z'), to: ms('2021-03-24T19:00:57Z') }),
    ).toHaveLength(1);
    expect(await names('moshe123', { from: ms('2021-03-24T19:00:57Z') })).toHaveLength(0);
    expect(await names('moshe123', { to: ms('2021-03-24T19:00:56Z') })).toHaveLength(0);
  });

  it('keeps a stream exact when several independent writers hit it at the same moment', async () => {
    const events: Record<string, string>[] = [];
    for (let i = 0; i < 240; i++) {
      const action = ['start', 'stop', 'cancel_start', 'cancel_stop'][(i * 7) % 4]!;
      events.push({
        up_id: `c${i % 3}`,
        medication_name: `M${i % 2}`,
        action,
        event_time: new Date(Date.UTC(2024, 0, 1) + ((i * 37) % 200) * 60_000).toISOString(),
      });
    }
    // Separate connection pools stand for separate processes.
    const writers: Knex[] = [];
    for (let w = 0; w < 4; w++) writers.push(backend.name === 'sqlite' ? t.db : createDb(t.url));
    try {
      const batches = shuffled(events, 3);
      await Promise.all(
        writers.map(async (db, w) => {
          for (let i = w * 10; i < batches.length; i += 40) {
            await ingest(db, asItems(batches.slice(i, i + 10)), { source: 'amqp' });
          }
        }),
      );
    } finally {
      if (backend.name !== 'sqlite') await Promise.all(writers.map((db) => db.destroy()));
    }
    for (const upId of ['c0', 'c1', 'c2']) {
      for (const medication of ['M0', 'M1']) {
        const set = events
          .filter((e) => e.up_id === upId && e.medication_name === medication)
          .map((e) => (validateEvent(e) as { ok: true; event: ValidEvent }).event);
        const expected = projectStream(set).periods.map((p) => [
          iso(p.startTime),
          iso(p.endTime),
          p.status,
        ]);
        const stored = await listPeriods(t.db, upId, { medication });
        expect(stored.map((p) => [iso(p.startTime), iso(p.endTime), p.status])).toEqual(expected);
      }
    }
    const distinct = new Set(events.map((e) => JSON.stringify(e))).size;
    const logged = (
      await Promise.all(['c0', 'c1', 'c2'].map((u) => listPatientEvents(t.db, u)))
    ).flat();
    expect(logged).toHaveLength(distinct);
  });
});
