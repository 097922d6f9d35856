import type { Action } from './event';
import { compareEvents, orderStream, type OrderedEvent } from './streamOrder';

export const ANOMALY_CODES = [
  'unmatched_cancel_start',
  'unmatched_cancel_stop',
  'duplicate_start',
  'unmatched_stop',
] as const;
export type AnomalyCode = (typeof ANOMALY_CODES)[number];

export type PeriodStatus = 'active' | 'completed';

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

export interface Projection {
  periods: Period[];
  anomalies: Anomaly[];
}

function anomaly(code: AnomalyCode, event: OrderedEvent): Anomaly {
  return { code, eventKey: event.dedupeKey, eventTime: event.eventTime, action: event.action };
}

function asOrdered(a: Anomaly): OrderedEvent {
  return { action: a.action, eventTime: a.eventTime, dedupeKey: a.eventKey };
}

/**
 * Phase 1: each cancel removes the latest earlier start (or stop) that is not
 * already removed. Returns the surviving starts and stops, still in order.
 */
function applyCancellations(
  ordered: readonly OrderedEvent[],
  anomalies: Anomaly[],
): OrderedEvent[] {
  const removed = new Set<number>();
  const liveStarts: number[] = [];
  const liveStops: number[] = [];
  ordered.forEach((event, index) => {
    switch (event.action) {
      case 'start':
        liveStarts.push(index);
        break;
      case 'stop':
        liveStops.push(index);
        break;
      case 'cancel_start':
      case 'cancel_stop': {
        const target = (event.action === 'cancel_start' ? liveStarts : liveStops).pop();
        if (target === undefined) anomalies.push(anomaly(`unmatched_${event.action}`, event));
        else removed.add(target);
        break;
      }
    }
  });
  return ordered.filter(
    (event, index) => (event.action === 'start' || event.action === 'stop') && !removed.has(index),
  );
}

/** Phase 2: pair the surviving starts and stops, the stream idle at first. */
function pairStartsAndStops(survivors: readonly OrderedEvent[], anomalies: Anomaly[]): Period[] {
  const periods: Period[] = [];
  let open: OrderedEvent | null = null;
  for (const event of survivors) {
    if (event.action === 'start') {
      if (open === null) open = event;
      else anomalies.push(anomaly('duplicate_start', event));
    } else if (open !== null) {
      periods.push({
        startTime: open.eventTime,
        endTime: event.eventTime,
        status: 'completed',
        startEventKey: open.dedupeKey,
        endEventKey: event.dedupeKey,
      });
      open = null;
    } else {
      anomalies.push(anomaly('unmatched_stop', event));
    }
  }
  if (open !== null) {
    periods.push({
      startTime: open.eventTime,
      endTime: null,
      status: 'active',
      startEventKey: open.dedupeKey,
      endEventKey: null,
    });
  }
  return periods;
}

/**
 * The periods and anomalies of one stream: a pure function of the set of its
 * events (any order, any duplication) per docs/semantics.md.
 */
export function projectStream(events: readonly OrderedEvent[]): Projection {
  const anomalies: Anomaly[] = [];
  const survivors = applyCancellations(orderStream(events), anomalies);
  const periods = pairStartsAndStops(survivors, anomalies);
  anomalies.sort((a, b) => compareEvents(asOrdered(a), asOrdered(b)));
  return { periods, anomalies };
}
