import type { Knex } from 'knex';
import { matchCancellations, orderStream, pairSurvivors, type StreamKey } from '../domain';
import type { StreamPeriodPatch } from './periodListPatch';
import { replaceTail } from './replaceTail';
import { fromStreamIndexed } from './streamIndex';
import { eventsBetween, liveBeforeTail, periodOpenAt } from './tailQueries';

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

  const tail = await eventsBetween(trx, ofStream, fromTime);
  const countOf = (action: string) => tail.filter((e) => e.action === action).length;
  const liveBefore = {
    starts: await liveBeforeTail(trx, ofStream, 'start', fromTime, countOf('cancel_start')),
    stops: await liveBeforeTail(trx, ofStream, 'stop', fromTime, countOf('cancel_stop')),
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
  const earlier = pairFrom < fromTime ? await eventsBetween(trx, ofStream, pairFrom, fromTime) : [];
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
  const straddling = await periodOpenAt(trx, ofStream, pairFrom);
  const open = straddling
    ? {
        action: 'start' as const,
        eventTime: Number(straddling.start_time),
        dedupeKey: straddling.start_event_key,
      }
    : null;
  const { periods, anomalies } = pairSurvivors(survivors, open);

  await replaceTail(
    trx,
    stream,
    ofStream,
    { fromTime, pairFrom, straddling },
    { periods, anomalies: [...unmatched, ...anomalies], cancellations },
  );
  return {
    medicationName: stream.medicationName,
    from: pairFrom,
    ...(straddling ? { alsoFrom: Number(straddling.start_time) } : {}),
    periods,
  };
}
