import type { Knex } from 'knex';
import {
  liveBeforeNeeded,
  matchTail,
  pairTail,
  type OrderedEvent,
  type StreamKey,
} from '../domain';
import type { StreamPeriodPatch } from '../periodLists/periodListPatch';
import { replaceTail } from './replaceTail';
import {
  earliestStoredTarget,
  eventsBetween,
  liveBeforeTail,
  periodOpenAt,
  removalsKept,
  type StraddlingPeriod,
} from './tailQueries';

/**
 * Re-projects one long stream from the instant `fromTime` (the earliest new
 * event) instead of from its start: loads what the rules of
 * domain/projectTail.ts need, in the order they need it, and replaces the
 * stored rows the replay covers. The cost follows the events after
 * `fromTime`, not the stream's length. Returns which of the stream's periods
 * it replaced, for the patient's list.
 */
export async function projectStreamTail(
  trx: Knex.Transaction,
  stream: StreamKey,
  fromTime: number,
): Promise<StreamPeriodPatch> {
  const ofStream = { up_id: stream.upId, medication_name: stream.medicationName };

  const tail = await eventsBetween(trx, ofStream, fromTime);
  const needed = liveBeforeNeeded(tail);
  const liveBefore = {
    starts: await liveBeforeTail(trx, ofStream, 'start', fromTime, needed.starts),
    stops: await liveBeforeTail(trx, ofStream, 'stop', fromTime, needed.stops),
  };
  const match = matchTail(
    tail,
    liveBefore,
    fromTime,
    await earliestStoredTarget(trx, ofStream, fromTime),
  );
  const { pairFrom } = match;

  // The period open just before pairFrom, if any, is re-emitted by the replay.
  const straddling = await periodOpenAt(trx, ofStream, pairFrom);
  const projection = pairTail(match, {
    earlier: pairFrom < fromTime ? await eventsBetween(trx, ofStream, pairFrom, fromTime) : [],
    tail,
    keptRemovalKeys: await removalsKept(trx, ofStream, fromTime, pairFrom),
    open: straddling ? openStart(straddling) : null,
  });

  await replaceTail(trx, stream, ofStream, { fromTime, pairFrom, straddling }, projection);
  return {
    medicationName: stream.medicationName,
    from: pairFrom,
    ...(straddling ? { alsoFrom: Number(straddling.start_time) } : {}),
    periods: projection.periods,
  };
}

function openStart(straddling: StraddlingPeriod): OrderedEvent {
  return {
    action: 'start',
    eventTime: Number(straddling.start_time),
    dedupeKey: straddling.start_event_key,
  };
}
