import { describe, expect, it } from 'vitest';
import { loadDeviceSample } from '../../test/support/deviceSample';
import { streamKeyOf, type Action, type ValidEvent } from './event';
import { projectStream, type Anomaly, type Period, type Projection } from './projectStream';
import type { OrderedEvent } from './streamOrder';
import { validateEvent } from './validateEvent';

// The shared folder sits next to the repository checkout.

/** Epoch ms of a clock time on 2021-03-24 UTC, e.g. at('10:00'). */
function at(clock: string): number {
  return Date.parse(`2021-03-24T${clock}:00.000Z`);
}

/** An event at a clock time; its key defaults to action@clock (unique enough for a test). */
function ev(action: Action, clock: string, key = `${action}@${clock}`): OrderedEvent {
  return { action, eventTime: at(clock), dedupeKey: key };
}

const start = (clock: string, key?: string) => ev('start', clock, key);
const stop = (clock: string, key?: string) => ev('stop', clock, key);
const cancelStart = (clock: string, key?: string) => ev('cancel_start', clock, key);
const cancelStop = (clock: string, key?: string) => ev('cancel_stop', clock, key);

function completed(from: OrderedEvent, to: OrderedEvent): Period {
  return {
    startTime: from.eventTime,
    endTime: to.eventTime,
    status: 'completed',
    startEventKey: from.dedupeKey,
    endEventKey: to.dedupeKey,
  };
}

function active(from: OrderedEvent): Period {
  return {
    startTime: from.eventTime,
    endTime: null,
    status: 'active',
    startEventKey: from.dedupeKey,
    endEventKey: null,
  };
}

function anomalyOf(code: Anomaly['code'], event: OrderedEvent): Anomaly {
  return { code, eventKey: event.dedupeKey, eventTime: event.eventTime, action: event.action };
}

/** Projects the events in the given order and in reverse; both must agree (a set, not a list). */
function project(...events: OrderedEvent[]): Projection {
  const forward = projectStream(events);
  expect(projectStream([...events].reverse())).toEqual(forward);
  return forward;
}

describe('projectStream, phase 2 (pairing)', () => {
  describe('given an empty stream', () => {
    it('when projected then there are no periods and no anomalies', () => {
      expect(project()).toEqual({ periods: [], anomalies: [] });
    });
  });

  describe('given an idle stream', () => {
    it('when a start arrives then a period opens at its time and stays active', () => {
      const s = start('10:00');
      expect(project(s)).toEqual({ periods: [active(s)], anomalies: [] });
    });

    it('when a stop arrives then it is an unmatched_stop anomaly and is ignored', () => {
      const p = stop('10:00');
      expect(project(p)).toEqual({ periods: [], anomalies: [anomalyOf('unmatched_stop', p)] });
    });

    it('when a stop arrives before a start then the stop is unmatched and the start still opens', () => {
      const p = stop('09:00');
      const s = start('10:00');
      expect(project(s, p)).toEqual({
        periods: [active(s)],
        anomalies: [anomalyOf('unmatched_stop', p)],
      });
    });
  });

  describe('given an active period', () => {
    const opened = start('10:00');

    it('when a stop arrives then the period closes at its time and is completed', () => {
      const closing = stop('11:30');
      expect(project(opened, closing)).toEqual({
        periods: [completed(opened, closing)],
        anomalies: [],
      });
    });

    it('when a stop arrives then the stream is idle again and the next start opens a new period', () => {
      const closing = stop('11:00');
      const reopened = start('12:00');
      const reclosing = stop('13:00');
      expect(project(opened, closing, reopened, reclosing)).toEqual({
        periods: [completed(opened, closing), completed(reopened, reclosing)],
        anomalies: [],
      });
      expect(project(opened, closing, reopened).periods).toEqual([
        completed(opened, closing),
        active(reopened),
      ]);
    });

    it('when another start arrives then it is a duplicate_start and the period keeps its earlier start', () => {
      const again = start('10:30');
      const closing = stop('11:00');
      expect(project(opened, again, closing)).toEqual({
        periods: [completed(opened, closing)],
        anomalies: [anomalyOf('duplicate_start', again)],
      });
      expect(project(opened, again)).toEqual({
        periods: [active(opened)],
        anomalies: [anomalyOf('duplicate_start', again)],
      });
    });

    it('when two stops arrive then the first closes it and the second is an unmatched_stop', () => {
      const first = stop('11:00');
      const second = stop('12:00');
      expect(project(opened, first, second)).toEqual({
        periods: [completed(opened, first)],
        anomalies: [anomalyOf('unmatched_stop', second)],
      });
    });
  });
});

describe('projectStream, phase 1 (cancellations)', () => {
  describe('given a start', () => {
    it('when a cancel_start follows then the start is removed and there is no period', () => {
      expect(project(start('10:00'), cancelStart('10:05'))).toEqual({ periods: [], anomalies: [] });
    });

    it('when a cancel_start comes earlier in time then it is unmatched and the start survives', () => {
      const s = start('10:00');
      const c = cancelStart('09:00');
      expect(project(s, c)).toEqual({
        periods: [active(s)],
        anomalies: [anomalyOf('unmatched_cancel_start', c)],
      });
    });

    it('when a cancel_stop arrives then it does not touch the start and is unmatched', () => {
      const s = start('10:00');
      const c = cancelStop('10:30');
      expect(project(s, c)).toEqual({
        periods: [active(s)],
        anomalies: [anomalyOf('unmatched_cancel_stop', c)],
      });
    });
  });

  describe('given a completed period', () => {
    const s = start('10:00');
    const p = stop('11:00');

    it('when a cancel_stop follows then the stop is removed and the period is active again', () => {
      expect(project(s, p, cancelStop('11:30'))).toEqual({ periods: [active(s)], anomalies: [] });
    });

    it('when a cancel_stop and a later stop follow then the later stop closes the period', () => {
      const later = stop('13:00');
      expect(project(s, p, cancelStop('12:00'), later)).toEqual({
        periods: [completed(s, later)],
        anomalies: [],
      });
    });

    it('when a cancel_start follows, reaching over the stop, then the start is removed and the stop is unmatched', () => {
      expect(project(s, p, cancelStart('12:00'))).toEqual({
        periods: [],
        anomalies: [anomalyOf('unmatched_stop', p)],
      });
    });
  });

  describe('given an idle stream', () => {
    it('when a lone cancel_start arrives then it is an unmatched_cancel_start anomaly', () => {
      const c = cancelStart('10:00');
      expect(project(c)).toEqual({
        periods: [],
        anomalies: [anomalyOf('unmatched_cancel_start', c)],
      });
    });

    it('when a lone cancel_stop arrives then it is an unmatched_cancel_stop anomaly', () => {
      const c = cancelStop('10:00');
      expect(project(c)).toEqual({
        periods: [],
        anomalies: [anomalyOf('unmatched_cancel_stop', c)],
      });
    });
  });

  describe('given two periods', () => {
    const s1 = start('08:00');
    const p1 = stop('09:00');
    const s2 = start('10:00');
    const p2 = stop('11:00');

    it('when a cancel_stop arrives after both then only the latest stop is removed', () => {
      expect(project(s1, p1, s2, p2, cancelStop('12:00'))).toEqual({
        periods: [completed(s1, p1), active(s2)],
        anomalies: [],
      });
    });

    it('when a cancel_stop reaches over a start then the earlier period swallows the later start', () => {
      // Order: s1 p1 s2 [cancel_stop] p2 -> p1 removed; s2 is a duplicate start of s1's period.
      expect(project(s1, p1, s2, cancelStop('10:30'), p2)).toEqual({
        periods: [completed(s1, p2)],
        anomalies: [anomalyOf('duplicate_start', s2)],
      });
    });

    it('when a cancel_start arrives after both then it removes the latest start, reaching over p1 and p2', () => {
      expect(project(s1, p1, s2, p2, cancelStart('12:00'))).toEqual({
        periods: [completed(s1, p1)],
        anomalies: [anomalyOf('unmatched_stop', p2)],
      });
    });
  });

  describe('given several starts', () => {
    const s1 = start('10:00');
    const s2 = start('10:10');
    const s3 = start('10:20');

    it('when a cancel_start arrives then the latest start is removed, not the earliest', () => {
      expect(project(s1, s2, s3, cancelStart('10:30'))).toEqual({
        periods: [active(s1)],
        anomalies: [anomalyOf('duplicate_start', s2)],
      });
    });

    it('when cancels arrive one by one then each removes the latest start not already removed', () => {
      expect(project(s1, s2, s3, cancelStart('10:30'), cancelStart('10:40'))).toEqual({
        periods: [active(s1)],
        anomalies: [],
      });
      expect(
        project(s1, s2, s3, cancelStart('10:30'), cancelStart('10:40'), cancelStart('10:50')),
      ).toEqual({ periods: [], anomalies: [] });
    });

    it('when there are more cancels than starts then the surplus cancels are unmatched', () => {
      const c4 = cancelStart('10:35');
      const c5 = cancelStart('10:45');
      const events = [s1, s2, s3, cancelStart('10:25'), cancelStart('10:30'), cancelStart('10:31')];
      expect(project(...events, c4, c5)).toEqual({
        periods: [],
        anomalies: [
          anomalyOf('unmatched_cancel_start', c4),
          anomalyOf('unmatched_cancel_start', c5),
        ],
      });
    });

    it('when cancels are interleaved then each cancel only sees the starts before it', () => {
      // s1, cancel (removes s1), s2, s3, cancel (removes s3): s2 opens.
      expect(project(s1, cancelStart('10:05'), s2, s3, cancelStart('10:25'))).toEqual({
        periods: [active(s2)],
        anomalies: [],
      });
    });

    it('when a start is removed then it causes no duplicate_start anomaly', () => {
      const events = [s1, s2, cancelStart('10:15'), stop('11:00')];
      expect(project(...events).anomalies).toEqual([]);
    });
  });

  it('given one start and two cancel_starts, when projected then the second cancel is unmatched (a cancel never cancels a cancel)', () => {
    const s = start('10:00');
    const p = stop('11:00');
    const cs1 = cancelStart('12:00');
    const cs2 = cancelStart('12:30');
    expect(project(s, p, cs1, cs2)).toEqual({
      periods: [],
      anomalies: [anomalyOf('unmatched_stop', p), anomalyOf('unmatched_cancel_start', cs2)],
    });
  });
});

describe('projectStream, same-instant precedence', () => {
  it('given a start and a stop at the same instant, when projected then a zero-length period is completed', () => {
    const s = start('10:00');
    const p = stop('10:00');
    expect(project(p, s)).toEqual({ periods: [completed(s, p)], anomalies: [] });
    expect(projectStream([s, p])).toEqual(projectStream([p, s]));
  });

  it('given a cancel_start at the same instant as its start, when projected then it removes it', () => {
    expect(project(cancelStart('10:00'), start('10:00'))).toEqual({ periods: [], anomalies: [] });
  });

  it('given a cancel_stop at the same instant as its stop, when projected then it removes it', () => {
    const s = start('09:00');
    expect(project(cancelStop('10:00'), stop('10:00'), s)).toEqual({
      periods: [active(s)],
      anomalies: [],
    });
  });

  it('given start, cancel_start and stop at one instant, when projected then the start is cancelled and the stop unmatched', () => {
    const p = stop('10:00');
    expect(project(p, cancelStart('10:00'), start('10:00'))).toEqual({
      periods: [],
      anomalies: [anomalyOf('unmatched_stop', p)],
    });
  });

  it('given all four actions at one instant, when projected then start and stop are both cancelled', () => {
    const events = [cancelStop('10:00'), stop('10:00'), cancelStart('10:00'), start('10:00')];
    expect(project(...events)).toEqual({ periods: [], anomalies: [] });
  });

  it('given a cancel_stop at the instant of a start, when projected then the stop before it is still its target', () => {
    // Order: s1(9:00) p(10:00) s2(10:00 sorts before the stop) ... cancel_stop(10:00 after the stop).
    const s1 = start('09:00');
    const s2 = start('10:00');
    const p = stop('10:00');
    expect(project(s1, p, s2, cancelStop('10:00'))).toEqual({
      periods: [active(s1)],
      anomalies: [anomalyOf('duplicate_start', s2)],
    });
  });

  it('given an active period, when a start and a stop arrive at one instant then the start is a duplicate and the stop closes', () => {
    const s1 = start('09:00');
    const s2 = start('10:00');
    const p = stop('10:00');
    expect(project(p, s2, s1)).toEqual({
      periods: [completed(s1, p)],
      anomalies: [anomalyOf('duplicate_start', s2)],
    });
  });

  it('given a cancel_start at the same instant as a later-keyed start, when projected then ties break by dedupe key', () => {
    const a = start('10:00', 'h:aaa');
    const b = start('10:00', 'h:bbb');
    // a sorts first, so it opens the period and b is the duplicate.
    expect(project(b, a)).toEqual({
      periods: [active(a)],
      anomalies: [anomalyOf('duplicate_start', b)],
    });
    // The cancel removes the latest start before it: b.
    expect(project(b, a, cancelStart('10:00', 'h:000'))).toEqual({
      periods: [active(a)],
      anomalies: [],
    });
  });

  it('given an event with an event_id and the same event without, when projected then they are two events', () => {
    const withId = start('10:00', 'id:e1');
    const hashed = start('10:00', 'h:0123');
    expect(project(withId, hashed)).toEqual({
      periods: [active(hashed)],
      anomalies: [anomalyOf('duplicate_start', withId)],
    });
  });
});

describe('projectStream, duplicates and order', () => {
  it('given the same start delivered twice, when projected then there is no duplicate_start', () => {
    const s = start('10:00');
    expect(project(s, { ...s }, { ...s })).toEqual({ periods: [active(s)], anomalies: [] });
  });

  it('given a cancel_start delivered twice, when projected then it removes only one start', () => {
    const s1 = start('10:00');
    const s2 = start('11:00');
    const c = cancelStart('12:00');
    expect(project(s1, s2, c, { ...c })).toEqual({ periods: [active(s1)], anomalies: [] });
  });

  it('given every arrival order of a small stream, when projected then the result is the same', () => {
    const events = [
      start('10:00'),
      stop('11:00'),
      cancelStop('11:30'),
      stop('12:00'),
      start('12:00'),
    ];
    const expected = projectStream(events);
    expect(expected.periods).toEqual([completed(events[0]!, events[3]!)]);
    expect(expected.anomalies).toEqual([anomalyOf('duplicate_start', events[4]!)]);
    const permutations = (list: OrderedEvent[]): OrderedEvent[][] =>
      list.length <= 1
        ? [list]
        : list.flatMap((head, i) =>
            permutations([...list.slice(0, i), ...list.slice(i + 1)]).map((rest) => [
              head,
              ...rest,
            ]),
          );
    for (const order of permutations(events)) expect(projectStream(order)).toEqual(expected);
  });

  it('given a list of events, when projected, then the list is left as it was', () => {
    const events = [stop('11:00'), start('10:00'), cancelStart('12:00')];
    const copy = structuredClone(events);
    projectStream(events);
    expect(events).toEqual(copy);
  });
});

describe('projectStream, anomalies', () => {
  it('given anomalies of both phases, when projected, then each names its event, in stream order', () => {
    const lonelyCancel = cancelStop('08:00', 'id:c-1');
    const s1 = start('09:00', 'id:s-1');
    const dup = start('09:30', 'id:s-2');
    const p1 = stop('10:00', 'id:p-1');
    const extraStop = stop('10:30', 'id:p-2');
    const lonelyCancelStart = cancelStart('10:30', 'id:c-2');
    const { anomalies } = project(extraStop, lonelyCancelStart, p1, dup, s1, lonelyCancel);
    // cancel_start@10:30 sorts before stop@10:30 and removes dup, the latest start before it;
    // s1..p1 is then a period and the stop at 10:30 finds the stream idle.
    expect(anomalies).toEqual([
      anomalyOf('unmatched_cancel_stop', lonelyCancel),
      anomalyOf('unmatched_stop', extraStop),
    ]);
  });

  it('given a lone stop, when projected, then its anomaly carries the key, time and action of that stop', () => {
    const p = stop('10:00', 'id:device-7');
    expect(project(p).anomalies).toEqual([
      { code: 'unmatched_stop', eventKey: 'id:device-7', eventTime: at('10:00'), action: 'stop' },
    ]);
  });
});

describe('projectStream, the worked example (fixtures/device-sample.json)', () => {
  const items = loadDeviceSample();
  const acceptedEvents: ValidEvent[] = [];
  for (const item of items) {
    const result = validateEvent(item);
    if (result.ok) acceptedEvents.push(result.event);
  }
  const streams = new Map<string, ValidEvent[]>();
  for (const event of acceptedEvents) {
    const key = streamKeyOf(event);
    streams.set(key, [...(streams.get(key) ?? []), event]);
  }
  const projections = [...streams.values()].map((events) => ({
    upId: events[0]!.upId,
    medicationName: events[0]!.medicationName,
    projection: projectStream(events),
  }));
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

  it('given the device sample, when validated, then 17 events are accepted and 7 rejected', () => {
    expect(acceptedEvents).toHaveLength(17);
    expect(items.length - acceptedEvents.length).toBe(7);
  });

  it('given its accepted events, when projected, then the periods are exactly the semantics table', () => {
    const rows = projections.flatMap(({ upId, medicationName, projection }) =>
      projection.periods.map((p) => [
        upId,
        medicationName,
        iso(p.startTime),
        iso(p.endTime),
        p.status,
      ]),
    );
    const expected = [
      ['avi123', 'Acamol', '2021-03-24T18:50:56.000Z', '2021-03-24T19:43:56.000Z', 'completed'],
      ['avi123', 'Multivitamin', '2021-03-24T23:15:56.000Z', null, 'active'],
      ['avi123', 'Propecia', '2021-03-24T18:23:56.000Z', '2021-03-24T19:23:56.000Z', 'completed'],
      ['avi123', 'Propecia', '2021-03-24T19:40:56.000Z', '2021-03-24T21:00:56.000Z', 'completed'],
      ['avi123', 'Propecia', '2021-03-25T09:00:56.000Z', null, 'active'],
      ['moshe123', 'Dexamol', '2021-03-24T19:00:56.000Z', '2021-03-24T19:00:56.000Z', 'completed'],
      ['haim123', 'Zinc', '2021-03-24T20:15:56.000Z', '2021-03-24T23:15:56.000Z', 'completed'],
    ];
    const byUpIdMedStart = (a: unknown[], b: unknown[]) =>
      JSON.stringify(a.slice(0, 3)) < JSON.stringify(b.slice(0, 3)) ? -1 : 1;
    expect([...rows].sort(byUpIdMedStart)).toEqual([...expected].sort(byUpIdMedStart));
  });

  it('given its accepted events, when projected, then each stream lists its periods in start order', () => {
    const propecia = projections.find((p) => p.medicationName === 'Propecia')!.projection.periods;
    expect(propecia.map((p) => iso(p.startTime))).toEqual([
      '2021-03-24T18:23:56.000Z',
      '2021-03-24T19:40:56.000Z',
      '2021-03-25T09:00:56.000Z',
    ]);
  });

  it('given dina123 whose start was cancelled, when projected, then it has no period and no anomaly', () => {
    const dina = projections.filter((p) => p.upId === 'dina123');
    expect(dina).toHaveLength(1);
    expect(dina[0]!.medicationName).toBe('Iron');
    expect(dina[0]!.projection).toEqual({ periods: [], anomalies: [] });
  });

  it("given avi123's lone Zinc stop, when projected, then it is the only anomaly and names that stop", () => {
    const zincStop = acceptedEvents.find(
      (e) => e.upId === 'avi123' && e.medicationName === 'Zinc',
    )!;
    const anomalies = projections.flatMap(({ upId, medicationName, projection }) =>
      projection.anomalies.map((a) => ({ upId, medicationName, ...a })),
    );
    expect(anomalies).toEqual([
      {
        upId: 'avi123',
        medicationName: 'Zinc',
        code: 'unmatched_stop',
        eventKey: zincStop.dedupeKey,
        eventTime: Date.parse('2021-03-24T23:15:56.000Z'),
        action: 'stop',
      },
    ]);
  });

  it('given the whole sample delivered again in reverse, when projected, then nothing changes', () => {
    for (const { upId, medicationName, projection } of projections) {
      const events = acceptedEvents.filter(
        (e) => e.upId === upId && e.medicationName === medicationName,
      );
      expect(projectStream([...events].reverse().concat(events))).toEqual(projection);
    }
  });
});
