import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTIONS, type Action } from './event';
import { projectStreamDetailed, sortAnomalies, type DetailedProjection } from './projectStream';
import { liveBeforeNeeded, matchTail, pairTail } from './projectTail';
import { orderStream, type OrderedEvent } from './streamOrder';

const PHASE_2_CODES: readonly string[] = ['duplicate_start', 'unmatched_stop'];
const NOTHING: DetailedProjection = { periods: [], anomalies: [], cancellations: [] };

/**
 * One tail replay over memory: each input is what the store's queries
 * (store/tailQueries.ts) return for the events stored so far and the
 * projection stored before the new ones; the result is what the store keeps
 * plus what it writes (store/replaceTail.ts).
 */
function replayTail(
  stored: DetailedProjection,
  events: readonly OrderedEvent[],
  fromTime: number,
): DetailedProjection {
  const all = orderStream(events);
  const tail = all.filter((e) => e.eventTime >= fromTime);
  const removedBefore = new Set(
    stored.cancellations
      .filter((c) => c.cancel.eventTime < fromTime)
      .map((c) => c.target.dedupeKey),
  );
  const live = (action: Action, count: number) =>
    count === 0
      ? []
      : all
          .filter((e) => e.action === action && e.eventTime < fromTime)
          .filter((e) => !removedBefore.has(e.dedupeKey))
          .slice(-count);
  const needed = liveBeforeNeeded(tail);
  const laterCancels = stored.cancellations.filter((c) => c.cancel.eventTime >= fromTime);
  const match = matchTail(
    tail,
    { starts: live('start', needed.starts), stops: live('stop', needed.stops) },
    fromTime,
    Math.min(Infinity, ...laterCancels.map((c) => c.target.eventTime)),
  );
  const { pairFrom } = match;
  const latestBefore = stored.periods.filter((p) => p.startTime < pairFrom).at(-1);
  const open =
    latestBefore && (latestBefore.endTime === null || latestBefore.endTime >= pairFrom)
      ? latestBefore
      : undefined;
  const projection = pairTail(match, {
    earlier: all.filter((e) => e.eventTime >= pairFrom && e.eventTime < fromTime),
    tail,
    keptRemovalKeys: stored.cancellations
      .filter((c) => c.cancel.eventTime < fromTime && c.target.eventTime >= pairFrom)
      .map((c) => c.target.dedupeKey),
    open: open
      ? { action: 'start', eventTime: open.startTime, dedupeKey: open.startEventKey }
      : null,
  });
  const keptAnomalies = stored.anomalies.filter((a) =>
    PHASE_2_CODES.includes(a.code) ? a.eventTime < pairFrom : a.eventTime < fromTime,
  );
  return {
    periods: [
      ...stored.periods.filter((p) => p.startTime < pairFrom && p !== open),
      ...projection.periods,
    ],
    anomalies: sortAnomalies([...keptAnomalies, ...projection.anomalies]),
    cancellations: [
      ...stored.cancellations.filter((c) => c.cancel.eventTime < fromTime),
      ...projection.cancellations,
    ],
  };
}

const at = (minute: number) => Date.UTC(2024, 0, 1, 0, minute);
const event = (action: Action, minute: number, dedupeKey: string): OrderedEvent => ({
  action,
  eventTime: at(minute),
  dedupeKey,
});

// Few instants, so that many events share one and the key tie-break matters;
// each event arrives in one of a few batches.
const batchedEvents = fc.array(
  fc.record({
    action: fc.constantFrom(...ACTIONS),
    minute: fc.integer({ min: 0, max: 20 }),
    key: fc.integer({ min: 0, max: 40 }),
    batch: fc.integer({ min: 0, max: 4 }),
  }),
  { minLength: 1, maxLength: 50 },
);

describe('projectTail', () => {
  it('given batches of events arriving in any order, when each batch is replayed from its earliest new event, then the stored result is the full replay', () => {
    fc.assert(
      fc.property(batchedEvents, (drawn) => {
        // One event per key: a key names one event, whatever batch repeats it.
        const byKey = new Map<string, OrderedEvent & { batch: number }>();
        for (const d of drawn)
          if (!byKey.has(`k${d.key}`))
            byKey.set(`k${d.key}`, { ...event(d.action, d.minute, `k${d.key}`), batch: d.batch });
        let stored = NOTHING;
        const seen: OrderedEvent[] = [];
        for (let batch = 0; batch <= 4; batch += 1) {
          const arriving = [...byKey.values()].filter((e) => e.batch === batch);
          if (arriving.length === 0) continue;
          seen.push(...arriving);
          const fromTime = Math.min(...arriving.map((e) => e.eventTime));
          stored = replayTail(stored, seen, fromTime);
          expect(stored).toEqual(projectStreamDetailed(seen));
        }
      }),
      { seed: Number(process.env.PROPERTY_SEED ?? 20261129), numRuns: 500 },
    );
  });

  it('given a late cancel whose target lies before it, when matched, then phase 2 restarts at that target', () => {
    const start = event('start', 1, 'a');
    const cancel = event('cancel_start', 5, 'b');
    const match = matchTail([cancel], { starts: [start], stops: [] }, at(5), Infinity);
    expect(match.cancellations).toEqual([{ cancel, target: start }]);
    expect(match.pairFrom).toBe(at(1));
  });

  it('given a stored cancel from the tail on whose target lies earlier, when matched, then phase 2 restarts at that stored target', () => {
    const match = matchTail([event('stop', 7, 'c')], { starts: [], stops: [] }, at(7), at(2));
    expect(match.pairFrom).toBe(at(2));
  });

  it('given a tail with cancels of each kind, when asked what to load, then it counts one live start or stop per cancel', () => {
    const tail = [
      event('cancel_start', 1, 'a'),
      event('cancel_start', 2, 'b'),
      event('cancel_stop', 3, 'c'),
      event('start', 4, 'd'),
    ];
    expect(liveBeforeNeeded(tail)).toEqual({ starts: 2, stops: 1 });
  });

  it('given a period open before the tail, when its stop arrives late, then the open start is paired with it', () => {
    const open = event('start', 1, 'a');
    const stop = event('stop', 9, 'z');
    const match = matchTail([stop], { starts: [], stops: [] }, at(9), Infinity);
    const projection = pairTail(match, { earlier: [], tail: [stop], keptRemovalKeys: [], open });
    expect(projection.periods).toEqual([
      {
        startTime: at(1),
        endTime: at(9),
        status: 'completed',
        startEventKey: 'a',
        endEventKey: 'z',
      },
    ]);
    expect(projection.anomalies).toEqual([]);
  });
});
