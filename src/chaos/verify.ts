import type { Knex } from 'knex';
import { contentOf, sortPeriods, type Expectation, type PeriodRecord } from './expected';

export interface Verification {
  /** Distinct events in the log. */
  accepted: number;
  /** Expected events missing from the log (or stored with other content), plus invalid messages with no rejection row. */
  lost: number;
  /** Log rows beyond the first for the same content. */
  doubled: number;
  /** Log rows that were never sent. */
  unexpected: number;
  /** Invalid messages that have a rejection row. */
  rejected: number;
  /** Rows in rejected_events (a message redelivered after a crash is recorded again). */
  rejectionRows: number;
  /** Rows in the symmetric difference of stored and expected periods. */
  periodsMismatched: number;
}

const count = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);

async function compareEvents(db: Knex, expected: Expectation) {
  const rows: {
    up_id: string;
    medication_name: string;
    action: string;
    event_time: number | string;
    event_id: string | null;
    dedupe_key: string;
  }[] = await db('events').select(
    'up_id',
    'medication_name',
    'action',
    'event_time',
    'event_id',
    'dedupe_key',
  );
  const byContent = new Map<string, number>();
  const storedByKey = new Map<string, string>();
  for (const r of rows) {
    const content = contentOf({
      upId: r.up_id,
      medicationName: r.medication_name,
      action: r.action,
      eventTime: Number(r.event_time),
      eventId: r.event_id,
    });
    count(byContent, content);
    storedByKey.set(r.dedupe_key, content);
  }
  let lost = 0;
  for (const [key, event] of expected.events) {
    if (storedByKey.get(key) !== contentOf(event)) lost += 1;
  }
  const doubled = [...byContent.values()].reduce((n, c) => n + (c - 1), 0);
  const unexpected = [...storedByKey.keys()].filter((k) => !expected.events.has(k)).length;
  return { accepted: storedByKey.size, lost, doubled, unexpected };
}

async function compareRejections(db: Knex, invalidBodies: readonly Buffer[]) {
  const rows: { raw_payload: Buffer | string }[] =
    await db('rejected_events').select('raw_payload');
  const stored = new Map<string, number>();
  for (const r of rows) count(stored, Buffer.from(r.raw_payload).toString('base64'));
  let rejected = 0;
  let lost = 0;
  for (const body of invalidBodies) {
    const key = body.toString('base64');
    const left = stored.get(key) ?? 0;
    if (left > 0) {
      stored.set(key, left - 1);
      rejected += 1;
    } else {
      lost += 1;
    }
  }
  return { rejected, lost, rejectionRows: rows.length };
}

async function comparePeriods(db: Knex, expected: readonly PeriodRecord[]): Promise<number> {
  const rows: PeriodRecord[] = await db('periods').select(
    'up_id',
    'medication_name',
    'start_time',
    'end_time',
    'status',
  );
  const key = (p: PeriodRecord) =>
    JSON.stringify([
      p.up_id,
      p.medication_name,
      Number(p.start_time),
      p.end_time === null ? null : Number(p.end_time),
      p.status,
    ]);
  const diff = new Map<string, number>();
  for (const p of sortPeriods(rows)) count(diff, key(p));
  for (const p of expected) diff.set(key(p), (diff.get(key(p)) ?? 0) - 1);
  return [...diff.values()].reduce((n, c) => n + Math.abs(c), 0);
}

/** Compares what the database holds with what was sent, computed without the database. */
export async function verify(
  db: Knex,
  expected: Expectation,
  invalidBodies: readonly Buffer[],
): Promise<Verification> {
  const events = await compareEvents(db, expected);
  const rejections = await compareRejections(db, invalidBodies);
  return {
    accepted: events.accepted,
    lost: events.lost + rejections.lost,
    doubled: events.doubled,
    unexpected: events.unexpected,
    rejected: rejections.rejected,
    rejectionRows: rejections.rejectionRows,
    periodsMismatched: await comparePeriods(db, expected.periods),
  };
}
