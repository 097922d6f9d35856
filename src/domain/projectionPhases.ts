import type { Action } from './event';
import type { OrderedEvent } from './streamOrder';

export const ANOMALY_CODES = [
  'unmatched_cancel_start',
  'unmatched_cancel_stop',
  'duplicate_start',
  'unmatched_stop',
] as const;
export type AnomalyCode = (typeof ANOMALY_CODES)[number];

export const PERIOD_STATUSES = ['active', 'completed'] as const;
export type PeriodStatus = (typeof PERIOD_STATUSES)[number];

export interface Period {
  startTime: number;
  /** null while the period is still open (status active). */
  endTime: number | null;
  status: PeriodStatus;
  startEventKey: string;
  endEventKey: string | null;
}

export interface Anomaly {
  code: AnomalyCode;
  /** The event that caused it. */
  eventKey: string;
  eventTime: number;
  action: Action;
}

/** A cancel and the start or stop it removed (phase 1). */
export interface Cancellation {
  cancel: OrderedEvent;
  target: OrderedEvent;
}

export function anomaly(code: AnomalyCode, event: OrderedEvent): Anomaly {
  return { code, eventKey: event.dedupeKey, eventTime: event.eventTime, action: event.action };
}

/**
 * Phase 1 over ordered events: each cancel removes the latest earlier start
 * (or stop) that is not already removed. `liveBefore` holds what is still
 * live before the first of `ordered` (latest last), for a replay that starts
 * mid-stream; it is consumed from its end.
 */
export function matchCancellations(
  ordered: readonly OrderedEvent[],
  liveBefore: { starts: readonly OrderedEvent[]; stops: readonly OrderedEvent[] } = {
    starts: [],
    stops: [],
  },
): { cancellations: Cancellation[]; unmatched: Anomaly[] } {
  const liveStarts = [...liveBefore.starts];
  const liveStops = [...liveBefore.stops];
  const cancellations: Cancellation[] = [];
  const unmatched: Anomaly[] = [];
  for (const event of ordered) {
    switch (event.action) {
      case 'start':
        liveStarts.push(event);
        break;
      case 'stop':
        liveStops.push(event);
        break;
      case 'cancel_start':
      case 'cancel_stop': {
        const target = (event.action === 'cancel_start' ? liveStarts : liveStops).pop();
        if (target === undefined) unmatched.push(anomaly(`unmatched_${event.action}`, event));
        else cancellations.push({ cancel: event, target });
        break;
      }
    }
  }
  return { cancellations, unmatched };
}

/**
 * Phase 2: pairs the surviving starts and stops, in order. `open` is the
 * start of the period already open before the first of them (null: idle).
 */
export function pairSurvivors(
  survivors: readonly OrderedEvent[],
  open: OrderedEvent | null = null,
): { periods: Period[]; anomalies: Anomaly[] } {
  const periods: Period[] = [];
  const anomalies: Anomaly[] = [];
  let current = open;
  for (const event of survivors) {
    if (event.action === 'start') {
      if (current === null) current = event;
      else anomalies.push(anomaly('duplicate_start', event));
    } else if (current !== null) {
      periods.push({
        startTime: current.eventTime,
        endTime: event.eventTime,
        status: 'completed',
        startEventKey: current.dedupeKey,
        endEventKey: event.dedupeKey,
      });
      current = null;
    } else {
      anomalies.push(anomaly('unmatched_stop', event));
    }
  }
  if (current !== null) {
    periods.push({
      startTime: current.eventTime,
      endTime: null,
      status: 'active',
      startEventKey: current.dedupeKey,
      endEventKey: null,
    });
  }
  return { periods, anomalies };
}

/** The starts and stops of `ordered` that no cancellation removed. */
export function survivorsOf(
  ordered: readonly OrderedEvent[],
  removedKeys: ReadonlySet<string>,
): OrderedEvent[] {
  return ordered.filter(
    (e) => (e.action === 'start' || e.action === 'stop') && !removedKeys.has(e.dedupeKey),
  );
}
