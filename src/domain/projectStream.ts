import {
  matchCancellations,
  pairSurvivors,
  survivorsOf,
  type Anomaly,
  type Cancellation,
  type Period,
} from './projectionPhases';
import { compareEvents, orderStream, type OrderedEvent } from './streamOrder';

export * from './projectionPhases';

export interface Projection {
  periods: Period[];
  anomalies: Anomaly[];
}

/** A projection with its phase-1 matches, which an incremental replay starts from. */
export interface DetailedProjection extends Projection {
  cancellations: Cancellation[];
}

function asOrdered(a: Anomaly): OrderedEvent {
  return { action: a.action, eventTime: a.eventTime, dedupeKey: a.eventKey };
}

/** Anomalies in stream order of the events that caused them. */
export function sortAnomalies(anomalies: Anomaly[]): Anomaly[] {
  return anomalies.sort((a, b) => compareEvents(asOrdered(a), asOrdered(b)));
}

/** projectStream, also returning which cancel removed which start or stop. */
export function projectStreamDetailed(events: readonly OrderedEvent[]): DetailedProjection {
  const ordered = orderStream(events);
  const { cancellations, unmatched } = matchCancellations(ordered);
  const removed = new Set(cancellations.map((c) => c.target.dedupeKey));
  const { periods, anomalies } = pairSurvivors(survivorsOf(ordered, removed));
  return { periods, anomalies: sortAnomalies([...unmatched, ...anomalies]), cancellations };
}

/**
 * The periods and anomalies of one stream: a pure function of the set of its
 * events (any order, any duplication) per docs/semantics.md.
 */
export function projectStream(events: readonly OrderedEvent[]): Projection {
  const { periods, anomalies } = projectStreamDetailed(events);
  return { periods, anomalies };
}
