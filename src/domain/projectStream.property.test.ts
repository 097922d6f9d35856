import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadDeviceSample } from '../../test/support/deviceSample';
import { dedupeKeyOf } from './dedupeKey';
import { streamKeyOf, type Action, type ValidEvent } from './event';
import { projectStream, type Projection } from './projectStream';
import { validateEvent } from './validateEvent';

const SEED = 42;
const RUNS = { seed: SEED, numRuns: 300 };

type Kind = 'start' | 'stop' | 'cancel_start' | 'cancel_stop';

interface StreamEvent {
  action: Action;
  eventTime: number;
  dedupeKey: string;
}

// ---------------------------------------------------------------------------
// Reference: written straight from docs/semantics.md, deliberately naive and
// sharing no code with src/domain (only the input shape).
// ---------------------------------------------------------------------------

interface ReferencePeriod {
  startTime: number;
  endTime: number | null;
  status: 'active' | 'completed';
  startEventKey: string;
  endEventKey: string | null;
}

interface ReferenceAnomaly {
  code: string;
  eventKey: string;
  eventTime: number;
  action: Kind;
}

function referenceProject(delivered: readonly StreamEvent[]): {
  periods: ReferencePeriod[];
  anomalies: ReferenceAnomaly[];
} {
  // "a pure function of the set of its events": one event per dedupe key.
  const set: StreamEvent[] = [];
  for (const candidate of delivered) {
    let seen = false;
    for (const kept of set) if (kept.dedupeKey === candidate.dedupeKey) seen = true;
    if (!seen) set.push(candidate);
  }

  // "Events are ordered by: event_time ascending; then by action precedence
  // start < cancel_start < stop < cancel_stop; then by dedupe key."
  const rank = (kind: Kind): number =>
    ['start', 'cancel_start', 'stop', 'cancel_stop'].indexOf(kind);
  const comesBefore = (a: StreamEvent, b: StreamEvent): boolean => {
    if (a.eventTime < b.eventTime) return true;
    if (a.eventTime > b.eventTime) return false;
    if (rank(a.action) < rank(b.action)) return true;
    if (rank(a.action) > rank(b.action)) return false;
    return a.dedupeKey < b.dedupeKey;
  };
  // Selection sort: repeatedly take the earliest remaining event.
  const remaining = [...set];
  const ordered: StreamEvent[] = [];
  while (remaining.length > 0) {
    let earliest = 0;
    for (let i = 1; i < remaining.length; i++) {
      if (comesBefore(remaining[i]!, remaining[earliest]!)) earliest = i;
    }
    ordered.push(remaining[earliest]!);
    remaining.splice(earliest, 1);
  }

  const anomalies: { position: number; anomaly: ReferenceAnomaly }[] = [];
  const report = (code: string, position: number) => {
    const event = ordered[position]!;
    anomalies.push({
      position,
      anomaly: {
        code,
        eventKey: event.dedupeKey,
        eventTime: event.eventTime,
        action: event.action,
      },
    });
  };

  // Phase 1: "Each cancel_start removes the latest start that comes before it
  // and is not already removed; each cancel_stop does the same for stops."
  const removed: boolean[] = ordered.map(() => false);
  for (let i = 0; i < ordered.length; i++) {
    const action = ordered[i]!.action;
    if (action !== 'cancel_start' && action !== 'cancel_stop') continue;
    const target = action === 'cancel_start' ? 'start' : 'stop';
    let found = -1;
    for (let j = i - 1; j >= 0; j--) {
      if (ordered[j]!.action === target && !removed[j]) {
        found = j;
        break;
      }
    }
    if (found === -1)
      report(action === 'cancel_start' ? 'unmatched_cancel_start' : 'unmatched_cancel_stop', i);
    else removed[found] = true;
  }

  // Phase 2: walk the remaining starts and stops, idle at first.
  const periods: ReferencePeriod[] = [];
  let state: 'idle' | 'active' = 'idle';
  let openedBy = -1;
  for (let i = 0; i < ordered.length; i++) {
    const event = ordered[i]!;
    if (removed[i]) continue;
    if (event.action === 'start') {
      if (state === 'idle') {
        state = 'active';
        openedBy = i;
      } else {
        report('duplicate_start', i);
      }
    } else if (event.action === 'stop') {
      if (state === 'active') {
        const opener = ordered[openedBy]!;
        periods.push({
          startTime: opener.eventTime,
          endTime: event.eventTime,
          status: 'completed',
          startEventKey: opener.dedupeKey,
          endEventKey: event.dedupeKey,
        });
        state = 'idle';
      } else {
        report('unmatched_stop', i);
      }
    }
  }
  if (state === 'active') {
    const opener = ordered[openedBy]!;
    periods.push({
      startTime: opener.eventTime,
      endTime: null,
      status: 'active',
      startEventKey: opener.dedupeKey,
      endEventKey: null,
    });
  }

  // Anomalies listed in stream order.
  anomalies.sort((a, b) => a.position - b.position);
  return { periods, anomalies: anomalies.map((a) => a.anomaly) };
}

// ---------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------

const BASE_TIME = Date.UTC(2021, 2, 24, 18, 0, 0);
// Starts and stops are more common than cancels, as on a real device.
const ACTION_ARB: fc.Arbitrary<Action> = fc.oneof(
  { weight: 3, arbitrary: fc.constant('start' as const) },
  { weight: 3, arbitrary: fc.constant('stop' as const) },
  { weight: 1, arbitrary: fc.constant('cancel_start' as const) },
  { weight: 1, arbitrary: fc.constant('cancel_stop' as const) },
);

/**
 * A set of distinct events of one stream. A small time range makes many
 * events share an instant; event ids from a small pool make ties between
 * same-instant, same-action events that only the dedupe key breaks.
 */
function streamArb(options: { maxMinute: number; maxLength: number }): fc.Arbitrary<StreamEvent[]> {
  const raw = fc.record({
    action: ACTION_ARB,
    minute: fc.integer({ min: 0, max: options.maxMinute }),
    millis: fc.oneof(
      { weight: 4, arbitrary: fc.constant(0) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 }) },
    ),
    eventId: fc.option(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'dev-1', 'dev-2'), {
      freq: 2,
    }),
  });
  return fc.uniqueArray(
    raw.map(({ action, minute, millis, eventId }) => {
      const eventTime = BASE_TIME + minute * 60_000 + millis;
      const dedupeKey = dedupeKeyOf({
        upId: 'p1',
        medicationName: 'm1',
        action,
        eventTime,
        eventId,
      });
      return { action, eventTime, dedupeKey };
    }),
    { selector: (e) => e.dedupeKey, maxLength: options.maxLength, size: 'max' },
  );
}

const SMALL = streamArb({ maxMinute: 5, maxLength: 16 });
const LARGE = streamArb({ maxMinute: 40, maxLength: 60 });

/** A stream, and a delivery of it: shuffled, with some events repeated (as copies). */
function deliveryArb(stream: fc.Arbitrary<StreamEvent[]>) {
  return stream.chain((events) =>
    fc.tuple(fc.constant(events), fc.subarray(events)).chain(([set, repeats]) => {
      const all = [...set, ...repeats.map((e) => ({ ...e }))];
      return fc.tuple(
        fc.constant(set),
        fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }),
      );
    }),
  );
}

function countBy<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  return items.filter(predicate).length;
}

// ---------------------------------------------------------------------------

describe('projectStream properties', () => {
  it('the generator produces the collisions the properties are about', () => {
    const samples = fc.sample(SMALL, { seed: SEED, numRuns: 300 });
    const sharesInstant = (s: StreamEvent[]) => new Set(s.map((e) => e.eventTime)).size < s.length;
    const sameInstantAndAction = (s: StreamEvent[]) =>
      new Set(s.map((e) => `${e.eventTime}/${e.action}`)).size < s.length;
    const hasAll = (s: StreamEvent[]) => new Set(s.map((e) => e.action)).size === 4;
    const hasIds = (s: StreamEvent[]) => s.some((e) => e.dedupeKey.startsWith('id:'));
    const hasHashes = (s: StreamEvent[]) => s.some((e) => e.dedupeKey.startsWith('h:'));
    // Counts out of 300 samples (fixed seed).
    expect(countBy(samples, sharesInstant)).toBeGreaterThan(150);
    expect(countBy(samples, sameInstantAndAction)).toBeGreaterThan(80);
    expect(countBy(samples, hasAll)).toBeGreaterThan(60);
    expect(countBy(samples, hasIds)).toBeGreaterThan(150);
    expect(countBy(samples, hasHashes)).toBeGreaterThan(150);
    // And the projections are not trivially empty.
    const projections = samples.map((s) => projectStream(s));
    expect(countBy(projections, (p) => p.periods.length >= 2)).toBeGreaterThan(60);
    expect(countBy(projections, (p) => p.anomalies.length >= 2)).toBeGreaterThan(100);
    expect(
      countBy(projections, (p) => p.periods.some((q) => q.startTime === q.endTime)),
    ).toBeGreaterThan(40);
  });

  it.each([
    ['small (many same-instant collisions)', SMALL],
    ['large', LARGE],
  ])('agrees with the naive reference on %s streams', (_label, arb) => {
    fc.assert(
      fc.property(deliveryArb(arb), ([, delivery]) => {
        expect(projectStream(delivery)).toEqual(referenceProject(delivery));
      }),
      RUNS,
    );
  });

  it.each([
    ['small', SMALL],
    ['large', LARGE],
  ])('is the same for any arrival order and any repetition of a %s stream', (_label, arb) => {
    fc.assert(
      fc.property(deliveryArb(arb), ([set, delivery]) => {
        expect(projectStream(delivery)).toEqual(projectStream(set));
      }),
      RUNS,
    );
  });

  it('is the same when the whole stream is replayed on top of itself', () => {
    fc.assert(
      fc.property(SMALL, (set) => {
        const once = projectStream(set);
        expect(projectStream([...set, ...set.map((e) => ({ ...e }))])).toEqual(once);
        expect(projectStream([...set].reverse())).toEqual(once);
      }),
      RUNS,
    );
  });

  it('gives periods in ascending start order that never overlap or touch, only the last one active', () => {
    fc.assert(
      fc.property(fc.oneof(SMALL, LARGE), (set) => {
        const { periods } = projectStream(set);
        periods.forEach((period, i) => {
          const isLast = i === periods.length - 1;
          if (period.status === 'active') {
            expect(isLast).toBe(true);
            expect(period.endTime).toBeNull();
            expect(period.endEventKey).toBeNull();
          } else {
            expect(period.status).toBe('completed');
            expect(period.endTime).not.toBeNull();
            expect(period.startTime).toBeLessThanOrEqual(period.endTime!);
          }
          if (!isLast) {
            // The closing stop precedes the next opening start in stream
            // order, and a start sorts before a stop at the same instant, so
            // the next period starts strictly after this one ends.
            expect(periods[i + 1]!.startTime).toBeGreaterThan(period.endTime!);
          }
        });
        expect(countBy(periods, (p) => p.status === 'active')).toBeLessThanOrEqual(1);
      }),
      RUNS,
    );
  });

  it('ties every period and anomaly to a distinct input event of the right action and time', () => {
    fc.assert(
      fc.property(fc.oneof(SMALL, LARGE), (set) => {
        const byKey = new Map(set.map((e) => [e.dedupeKey, e]));
        const { periods, anomalies } = projectStream(set);
        const used: string[] = [];
        for (const p of periods) {
          expect(byKey.get(p.startEventKey)).toMatchObject({
            action: 'start',
            eventTime: p.startTime,
          });
          used.push(p.startEventKey);
          if (p.endEventKey !== null) {
            expect(byKey.get(p.endEventKey)).toMatchObject({
              action: 'stop',
              eventTime: p.endTime,
            });
            used.push(p.endEventKey);
          }
        }
        const actionOfCode = {
          duplicate_start: 'start',
          unmatched_stop: 'stop',
          unmatched_cancel_start: 'cancel_start',
          unmatched_cancel_stop: 'cancel_stop',
        } as const;
        for (const a of anomalies) {
          expect(a.action).toBe(actionOfCode[a.code]);
          expect(byKey.get(a.eventKey)).toEqual({
            action: a.action,
            eventTime: a.eventTime,
            dedupeKey: a.eventKey,
          });
          used.push(a.eventKey);
        }
        expect(new Set(used).size).toBe(used.length);
      }),
      RUNS,
    );
  });

  it('accounts for every start and stop: opened or duplicate, closed or unmatched, unless cancelled', () => {
    fc.assert(
      fc.property(fc.oneof(SMALL, LARGE), (set) => {
        const result: Projection = projectStream(set);
        const n = (action: Action) => countBy(set, (e) => e.action === action);
        const k = (code: string) => countBy(result.anomalies, (a) => a.code === code);
        const completed = countBy(result.periods, (p) => p.status === 'completed');
        const unmatchedCancelStarts = k('unmatched_cancel_start');
        const unmatchedCancelStops = k('unmatched_cancel_stop');
        // Each matched cancel removes exactly one event of its kind.
        const survivingStarts = n('start') - (n('cancel_start') - unmatchedCancelStarts);
        const survivingStops = n('stop') - (n('cancel_stop') - unmatchedCancelStops);
        expect(survivingStarts).toBeGreaterThanOrEqual(0);
        expect(survivingStops).toBeGreaterThanOrEqual(0);
        // Surviving starts each open a period or are a duplicate_start.
        expect(result.periods.length + k('duplicate_start')).toBe(survivingStarts);
        // Surviving stops each close a period or are an unmatched_stop.
        expect(completed + k('unmatched_stop')).toBe(survivingStops);
        // A cancel is unmatched only when it outnumbers its targets so far,
        // so at least the surplus is unmatched and never more than all.
        expect(unmatchedCancelStarts).toBeGreaterThanOrEqual(
          Math.max(0, n('cancel_start') - n('start')),
        );
        expect(unmatchedCancelStarts).toBeLessThanOrEqual(n('cancel_start'));
        expect(unmatchedCancelStops).toBeGreaterThanOrEqual(
          Math.max(0, n('cancel_stop') - n('stop')),
        );
        expect(unmatchedCancelStops).toBeLessThanOrEqual(n('cancel_stop'));
      }),
      RUNS,
    );
  });

  it('without cancels, alternating start/stop times give exactly those periods', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 20 }),
        (minutes) => {
          const times = [...minutes].sort((a, b) => a - b).map((m) => BASE_TIME + m * 60_000);
          const events: StreamEvent[] = times.map((eventTime, i) => ({
            action: i % 2 === 0 ? 'start' : 'stop',
            eventTime,
            dedupeKey: `id:${i}`,
          }));
          const { periods, anomalies } = projectStream([...events].reverse());
          expect(anomalies).toEqual([]);
          expect(periods.map((p) => [p.startTime, p.endTime])).toEqual(
            times.filter((_, i) => i % 2 === 0).map((t, j) => [t, times[2 * j + 1] ?? null]),
          );
        },
      ),
      RUNS,
    );
  });
});

describe('the naive reference itself', () => {
  it('reproduces the worked example of the semantics', () => {
    const items = loadDeviceSample();
    const streams = new Map<string, ValidEvent[]>();
    for (const item of items) {
      const result = validateEvent(item);
      if (!result.ok) continue;
      const key = streamKeyOf(result.event);
      streams.set(key, [...(streams.get(key) ?? []), result.event]);
    }
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    const rows: string[] = [];
    const anomalies: string[] = [];
    for (const events of streams.values()) {
      const { upId, medicationName } = events[0]!;
      const projection = referenceProject(events);
      for (const p of projection.periods) {
        rows.push([upId, medicationName, iso(p.startTime), iso(p.endTime), p.status].join(' | '));
      }
      for (const a of projection.anomalies) anomalies.push(`${upId} ${medicationName} ${a.code}`);
    }
    expect(rows.sort()).toEqual(
      [
        'avi123 | Acamol | 2021-03-24T18:50:56.000Z | 2021-03-24T19:43:56.000Z | completed',
        'avi123 | Multivitamin | 2021-03-24T23:15:56.000Z |  | active',
        'avi123 | Propecia | 2021-03-24T18:23:56.000Z | 2021-03-24T19:23:56.000Z | completed',
        'avi123 | Propecia | 2021-03-24T19:40:56.000Z | 2021-03-24T21:00:56.000Z | completed',
        'avi123 | Propecia | 2021-03-25T09:00:56.000Z |  | active',
        'moshe123 | Dexamol | 2021-03-24T19:00:56.000Z | 2021-03-24T19:00:56.000Z | completed',
        'haim123 | Zinc | 2021-03-24T20:15:56.000Z | 2021-03-24T23:15:56.000Z | completed',
      ].sort(),
    );
    expect(anomalies).toEqual(['avi123 Zinc unmatched_stop']);
  });

  it('handles the spec sentences it was written from', () => {
    const e = (action: Kind, minute: number, key = `${action}${minute}`): StreamEvent => ({
      action,
      eventTime: BASE_TIME + minute * 60_000,
      dedupeKey: key,
    });
    // A start and a stop at the same instant make a zero-length period.
    expect(referenceProject([e('stop', 1), e('start', 1)]).periods).toMatchObject([
      { startTime: BASE_TIME + 60_000, endTime: BASE_TIME + 60_000, status: 'completed' },
    ]);
    // A cancel at the same instant as its target applies to it.
    expect(referenceProject([e('cancel_start', 1), e('start', 1)])).toEqual({
      periods: [],
      anomalies: [],
    });
    // It does not matter what lies between the cancel and its target.
    expect(
      referenceProject([e('start', 1), e('stop', 2), e('start', 3), e('cancel_stop', 4)]),
    ).toMatchObject({
      periods: [{ startTime: BASE_TIME + 60_000, endTime: null, status: 'active' }],
      anomalies: [{ code: 'duplicate_start', eventKey: 'start3' }],
    });
  });
});
