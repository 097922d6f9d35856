import { projectStream, streamKeyOf, validateEvent, type ValidEvent } from '../domain';

/** A period as the periods table holds it (times in epoch ms). */
export interface PeriodRecord {
  up_id: string;
  medication_name: string;
  start_time: number;
  end_time: number | null;
  status: string;
}

export interface Expectation {
  /** Every distinct valid event sent, by dedupe key. */
  events: Map<string, ValidEvent>;
  /** The one-shot projection of exactly those events, sorted. */
  periods: PeriodRecord[];
}

/** What a stored event must say for its dedupe key: all of its content. */
export function contentOf(e: {
  upId: string;
  medicationName: string;
  action: string;
  eventTime: number;
  eventId: string | null;
}): string {
  return JSON.stringify([e.upId, e.medicationName, e.action, e.eventTime, e.eventId]);
}

export function sortPeriods(rows: PeriodRecord[]): PeriodRecord[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return rows.sort(
    (a, b) =>
      cmp(a.up_id, b.up_id) ||
      cmp(a.medication_name, b.medication_name) ||
      a.start_time - b.start_time ||
      (a.end_time ?? Infinity) - (b.end_time ?? Infinity),
  );
}

/**
 * Computed from the generated payloads alone, never from the database:
 * validate each, keep one per dedupe key, and project each stream in one shot.
 */
export function expectationOf(payloads: readonly unknown[]): Expectation {
  const events = new Map<string, ValidEvent>();
  for (const payload of payloads) {
    const result = validateEvent(payload);
    if (result.ok) events.set(result.event.dedupeKey, result.event);
  }
  const byStream = new Map<string, ValidEvent[]>();
  for (const event of events.values()) {
    const key = streamKeyOf(event);
    const list = byStream.get(key);
    if (list) list.push(event);
    else byStream.set(key, [event]);
  }
  const periods: PeriodRecord[] = [];
  for (const stream of byStream.values()) {
    const { upId, medicationName } = stream[0]!;
    for (const p of projectStream(stream).periods) {
      periods.push({
        up_id: upId,
        medication_name: medicationName,
        start_time: p.startTime,
        end_time: p.endTime,
        status: p.status,
      });
    }
  }
  return { events, periods: sortPeriods(periods) };
}
