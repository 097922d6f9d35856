import type { Knex } from 'knex';
import { orderStream, type Action, type OrderedEvent } from '../domain';
import { fromStreamIndexed } from './streamIndex';

/** The stream's columns as a knex `where` object. */
export interface OfStream {
  up_id: string;
  medication_name: string;
}

interface StoredEventRow {
  action: Action;
  event_time: number | string;
  dedupe_key: string;
}

const toOrdered = (r: StoredEventRow): OrderedEvent => ({
  action: r.action,
  eventTime: Number(r.event_time),
  dedupeKey: r.dedupe_key,
});

/** The stream's events at instants in [from, before), in the spec's total order. */
export async function eventsBetween(
  trx: Knex.Transaction,
  ofStream: OfStream,
  from: number,
  before = Infinity,
): Promise<OrderedEvent[]> {
  const query = trx<StoredEventRow>('events')
    .select('action', 'event_time', 'dedupe_key')
    .where(ofStream)
    .where('event_time', '>=', from);
  if (before !== Infinity) query.where('event_time', '<', before);
  return orderStream((await query).map(toOrdered));
}

/**
 * The latest `count` starts (or stops) before `fromTime` that no cancel
 * before `fromTime` removed, oldest first: all a tail with `count` cancels of
 * that kind can reach.
 */
export async function liveBeforeTail(
  trx: Knex.Transaction,
  ofStream: OfStream,
  action: 'start' | 'stop',
  fromTime: number,
  count: number,
): Promise<OrderedEvent[]> {
  if (count === 0) return [];
  const candidates = () =>
    trx<StoredEventRow>('events')
      .select('action', 'event_time', 'dedupe_key')
      .where(ofStream)
      .where('action', action)
      .where('event_time', '<', fromTime)
      .whereNotExists(
        trx('stream_cancellations')
          .select(trx.raw('1'))
          .where(ofStream)
          .whereRaw('stream_cancellations.target_key = events.dedupe_key')
          .where('cancel_time', '<', fromTime),
      );
  let rows = await candidates().orderBy('event_time', 'desc').limit(count);
  if (rows.length === count) {
    // Take every event at the oldest instant reached, so the key tie-break is applied here, not in SQL.
    rows = await candidates().where('event_time', '>=', Number(rows[count - 1]!.event_time));
  }
  return orderStream(rows.map(toOrdered)).slice(-count);
}

/**
 * The earliest start or stop that a stored cancel at `fromTime` or later
 * removed (Infinity if none): the new matching of those cancels may let it
 * survive.
 */
export async function earliestStoredTarget(
  trx: Knex.Transaction,
  ofStream: OfStream,
  fromTime: number,
): Promise<number> {
  const [row] = await trx('stream_cancellations')
    .min({ earliest: 'target_time' })
    .where(ofStream)
    .where('cancel_time', '>=', fromTime);
  return row?.earliest === null || row?.earliest === undefined ? Infinity : Number(row.earliest);
}

/** The keys of the starts and stops from `pairFrom` on that stored cancels before `fromTime` removed. */
export async function removalsKept(
  trx: Knex.Transaction,
  ofStream: OfStream,
  fromTime: number,
  pairFrom: number,
): Promise<string[]> {
  const rows: { target_key: string }[] = await fromStreamIndexed(
    trx,
    'stream_cancellations',
    'stream_cancellations_by_target_time',
  )
    .select('target_key')
    .where(ofStream)
    .where('cancel_time', '<', fromTime)
    .where('target_time', '>=', pairFrom);
  return rows.map((r) => r.target_key);
}

/** A stored period that is still open at some instant: its row's key columns. */
export interface StraddlingPeriod {
  start_time: number | string;
  end_time: number | string | null;
  start_event_key: string;
}

/**
 * The stored period open at `pairFrom`, if any. Periods never overlap, so
 * only the last one that starts before it can be open there.
 */
export async function periodOpenAt(
  trx: Knex.Transaction,
  ofStream: OfStream,
  pairFrom: number,
): Promise<StraddlingPeriod | undefined> {
  const latestBefore: StraddlingPeriod | undefined = await fromStreamIndexed(trx, 'periods')
    .select('start_time', 'end_time', 'start_event_key')
    .where(ofStream)
    .where('start_time', '<', pairFrom)
    .orderBy('start_time', 'desc')
    .first();
  return latestBefore &&
    (latestBefore.end_time === null || Number(latestBefore.end_time) >= pairFrom)
    ? latestBefore
    : undefined;
}
