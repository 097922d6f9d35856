import { ACTION_PRECEDENCE, type Action } from './event';

export interface OrderedEvent {
  action: Action;
  eventTime: number;
  dedupeKey: string;
}

/** The total order of a stream (semantics: "The stream"): time, action precedence, dedupe key. */
export function compareEvents(a: OrderedEvent, b: OrderedEvent): number {
  if (a.eventTime !== b.eventTime) return a.eventTime - b.eventTime;
  const byAction = ACTION_PRECEDENCE[a.action] - ACTION_PRECEDENCE[b.action];
  if (byAction !== 0) return byAction;
  if (a.dedupeKey === b.dedupeKey) return 0;
  return a.dedupeKey < b.dedupeKey ? -1 : 1;
}

/** The events of a stream as a set, in stream order: duplicates (same key) collapse to one. */
export function orderStream<E extends OrderedEvent>(events: readonly E[]): E[] {
  const sorted = [...events].sort(compareEvents);
  return sorted.filter((event, i) => i === 0 || sorted[i - 1]!.dedupeKey !== event.dedupeKey);
}
