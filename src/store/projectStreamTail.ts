import type { Knex } from 'knex';
import {
  matchCancellations,
  orderStream,
  pairSurvivors,
  sortAnomalies,
  type Action,
  type Cancellation,
  type OrderedEvent,
  type StreamKey,
} from '../domain';
import type { StreamPeriodPatch } from './periodListPatch';
import { anomalyRow, cancellationRow, periodRow } from './projectionRows';
import { ROWS_PER_INSERT } from './statementSizes';
import { fromStreamIndexed } from './streamIndex';

const PHASE_2_CODES = ['duplicate_start', 'unmatched_stop'];
const PHASE_1_CODES = ['unmatched_cancel_start', 'unmatched_cancel_stop'];

interface EventRow {
  action: Action;
  event_time: number | string;
  dedupe_key: string;
}

const toOrdered = (r: EventRow): OrderedEvent => ({
  action: r.action,
  eventTime: Number(r.event_time),
  dedupeKey: r.dedupe_key,
});

/**
 * Re-projects one long stream from the instant `fromTime` (the earliest new
 * event) instead of from its start. Everything before that instant is
 * unchanged by the new events, except which earlier starts and stops the
 * cancels from `fromTime` on remove; so it (1) replays phase 1 over the
 * events from `fromTime` on, seeded with the latest starts and stops still
 * live before it, (2) replays phase 2 from the earliest of `fromTime` and
 * every start or stop whose removal the new matching may change (the targets
 * of the old and of the new matches), seeded with the period open there, and
 * (3) replaces what those replays cover. The result is exactly projectStream's (property-tested against it);
 * the cost follows the events after `fromTime`, not the stream's length.
 * Boundaries are whole instants, so only times are compared in SQL and the
 * total order (with its key tie-break) is applied in JavaScript alone.
 * Returns which of the stream's periods it replaced, for the patient's list.
 */
export async function projectStreamTail(
  trx: Knex.Transaction,
  stream: StreamKey,
  fromTime: number,
): Promise<StreamPeriodPatch> {
  const ofStream = { up_id: stream.upId, medication_name: stream.medicationName };
  const events = () =>
    trx<EventRow>('events').select('action', 'event_time', 'dedupe_key').where(ofStream);

  const tail = orderStream((await events().where('event_time', '>=', fromTime)).map(toOrdered));
  const liveBefore = {
    starts: await liveBeforeTail(
      trx,
      ofStream,
      'start',
      fromTime,
      tail.filter((e) => e.action === 'cancel_start').length,
    ),
    stops: await liveBeforeTail(
      trx,
      ofStream,
      'stop',
      fromTime,
      tail.filter((e) => e.action === 'cancel_stop').length,
    ),
  };
  const { cancellations, unmatched } = matchCancellations(tail, liveBefore);

  // Phase 2 restarts where the first change is: a start or stop the new
  // matching removes, or one the old matching of these cancels had removed
  // and that now survives, may lie before fromTime.
  const [previous] = await trx('stream_cancellations')
    .min({ earliest: 'target_time' })
    .where(ofStream)
    .where('cancel_time', '>=', fromTime);
  const previousEarliest =
    previous?.earliest === null || previous?.earliest === undefined
      ? Infinity
      : Number(previous.earliest);
  const pairFrom = Math.min(
    fromTime,
    previousEarliest,
    ...cancellations.map((c) => c.target.eventTime),
  );
  const earlier =
    pairFrom < fromTime
      ? (await events().where('event_time', '>=', pairFrom).where('event_time', '<', fromTime)).map(
          toOrdered,
        )
      : [];
  const keptRemovals: { target_key: string }[] = await fromStreamIndexed(
    trx,
    'stream_cancellations',
    'stream_cancellations_by_target_time',
  )
    .select('target_key')
    .where(ofStream)
    .where('cancel_time', '<', fromTime)
    .where('target_time', '>=', pairFrom);
  const removed = new Set([
    ...keptRemovals.map((r) => r.target_key),
    ...cancellations.map((c) => c.target.dedupeKey),
  ]);
  const survivors = orderStream([...earlier, ...tail]).filter(
    (e) => (e.action === 'start' || e.action === 'stop') && !removed.has(e.dedupeKey),
  );

  // The period open just before pairFrom, if any, is re-emitted by the replay.
  // Periods never overlap, so only the last one that starts before it can be open there.
  const latestBefore:
    | {
        start_time: number | string;
        end_time: number | string | null;
        start_event_key: string;
      }
    | undefined = await fromStreamIndexed(trx, 'periods')
    .select('start_time', 'end_time', 'start_event_key')
    .where(ofStream)
    .where('start_time', '<', pairFrom)
    .orderBy('start_time', 'desc')
    .first();
  const straddling =
    latestBefore && (latestBefore.end_time === null || Number(latestBefore.end_time) >= pairFrom)
      ? latestBefore
      : undefined;
  const open: OrderedEvent | null = straddling
    ? {
        action: 'start',
        eventTime: Number(straddling.start_time),
        dedupeKey: straddling.start_event_key,
      }
    : null;

  const { periods, anomalies } = pairSurvivors(survivors, open);

  await trx('periods')
    .where(ofStream)
    .where((w) => {
      w.where('start_time', '>=', pairFrom);
      if (straddling)
        w.orWhere({
          start_time: straddling.start_time,
          start_event_key: straddling.start_event_key,
        });
    })
    .delete();
  await trx('anomalies')
    .where(ofStream)
    .whereIn('code', PHASE_2_CODES)
    .where('event_time', '>=', pairFrom)
    .delete();
  await trx('anomalies')
    .where(ofStream)
    .whereIn('code', PHASE_1_CODES)
    .where('event_time', '>=', fromTime)
    .delete();
  await trx('stream_cancellations').where(ofStream).where('cancel_time', '>=', fromTime).delete();

  await insertAll(
    trx,
    'periods',
    periods.map((p) => periodRow(stream, p)),
  );
  await insertAll(
    trx,
    'anomalies',
    sortAnomalies([...unmatched, ...anomalies]).map((a) => anomalyRow(stream, a)),
  );
  await insertAll(
    trx,
    'stream_cancellations',
    cancellations.map((c: Cancellation) => cancellationRow(stream, c)),
  );
  return {
    medicationName: stream.medicationName,
    from: pairFrom,
    ...(straddling ? { alsoFrom: Number(straddling.start_time) } : {}),
    periods,
  };
}

/**
 * The latest `count` starts (or stops) before `fromTime` that no cancel
 * before `fromTime` removed, oldest first: all a tail with `count` cancels of
 * that kind can reach.
 */
async function liveBeforeTail(
  trx: Knex.Transaction,
  ofStream: { up_id: string; medication_name: string },
  action: 'start' | 'stop',
  fromTime: number,
  count: number,
): Promise<OrderedEvent[]> {
  if (count === 0) return [];
  const candidates = () =>
    trx<EventRow>('events')
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

async function insertAll(
  trx: Knex.Transaction,
  table: string,
  rows: Record<string, unknown>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT)
    await trx(table).insert(rows.slice(i, i + ROWS_PER_INSERT));
}
