import {
  matchCancellations,
  pairSurvivors,
  survivorsOf,
  type Anomaly,
  type Cancellation,
  type Period,
} from './projectionPhases';
import { orderStream, type OrderedEvent } from './streamOrder';

/*
 * The rules of re-projecting one stream from the instant `fromTime` (its
 * earliest new event) instead of from its start, so that a late event costs
 * in proportion to the events after it. Everything before `fromTime` is
 * unchanged by the new events, except which earlier starts and stops the
 * cancels from `fromTime` on remove. The store fetches each input below; the
 * result is exactly projectStream's (property-tested against it, here and on
 * both databases). Boundaries are whole instants, so a store only compares
 * times and the total order (with its key tie-break) is applied here.
 */

/** The starts and stops still live before the tail, latest last: all its cancels can reach. */
export interface LiveBefore {
  starts: readonly OrderedEvent[];
  stops: readonly OrderedEvent[];
}

/** Phase 1 over the tail, and the instant phase 2 must restart from. */
export interface TailMatch {
  cancellations: Cancellation[];
  /** unmatched_cancel_* anomalies of the tail's cancels. */
  unmatched: Anomaly[];
  pairFrom: number;
}

/** What replaces the stored rows from `fromTime` (phase 1) and `pairFrom` (phase 2) on. */
export interface TailProjection {
  periods: Period[];
  anomalies: Anomaly[];
  cancellations: Cancellation[];
}

/**
 * How many of the latest live starts and stops before the tail to load: a
 * cancel removes at most one, so the tail's cancels of each kind bound it.
 */
export function liveBeforeNeeded(tail: readonly OrderedEvent[]): {
  starts: number;
  stops: number;
} {
  let starts = 0;
  let stops = 0;
  for (const e of tail) {
    if (e.action === 'cancel_start') starts += 1;
    else if (e.action === 'cancel_stop') stops += 1;
  }
  return { starts, stops };
}

/**
 * Phase 1 over the ordered `tail`, seeded with what is live before it.
 * Phase 2 restarts where the first change may be: `fromTime`, or a start or
 * stop before it that the new matching removes, or that the stored matching
 * of the cancels from `fromTime` on had removed and that may now survive
 * (`earliestStoredTarget`, Infinity when there is none).
 */
export function matchTail(
  tail: readonly OrderedEvent[],
  liveBefore: LiveBefore,
  fromTime: number,
  earliestStoredTarget: number,
): TailMatch {
  const { cancellations, unmatched } = matchCancellations(tail, liveBefore);
  let pairFrom = Math.min(fromTime, earliestStoredTarget);
  for (const c of cancellations) pairFrom = Math.min(pairFrom, c.target.eventTime);
  return { cancellations, unmatched, pairFrom };
}

/**
 * Phase 2 from `pairFrom`: pairs the surviving starts and stops of `earlier`
 * (the events in [pairFrom, fromTime)) and the tail, seeded with the start of
 * the period open at `pairFrom`. Removed are the tail's new matches' targets
 * and `keptRemovalKeys`, the targets from `pairFrom` on of the stored
 * cancels before `fromTime`, which the new events do not change.
 */
export function pairTail(
  match: TailMatch,
  input: {
    earlier: readonly OrderedEvent[];
    tail: readonly OrderedEvent[];
    keptRemovalKeys: readonly string[];
    open: OrderedEvent | null;
  },
): TailProjection {
  const removed = new Set(input.keptRemovalKeys);
  for (const c of match.cancellations) removed.add(c.target.dedupeKey);
  const survivors = survivorsOf(orderStream([...input.earlier, ...input.tail]), removed);
  const { periods, anomalies } = pairSurvivors(survivors, input.open);
  return {
    periods,
    anomalies: [...match.unmatched, ...anomalies],
    cancellations: match.cancellations,
  };
}
