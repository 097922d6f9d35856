import { validateEvent } from '../../src/domain';

/**
 * The row the write path appends for a valid payload (src/store/appendEvents):
 * same dedupe key, same columns, the payload's JSON text as raw_payload.
 */
export interface EventLogRow {
  dedupe_key: string;
  up_id: string;
  medication_name: string;
  action: string;
  event_time: number;
  received_at: number;
  source: 'seed' | 'amqp' | 'http';
  event_id: string | null;
  raw_payload: string;
}

export function eventLogRow(
  payload: unknown,
  receivedAt: number,
  source: EventLogRow['source'] = 'seed',
): EventLogRow {
  const result = validateEvent(payload);
  if (!result.ok) throw new Error(`generated an invalid event: ${result.rejection.reason}`);
  const { event } = result;
  return {
    dedupe_key: event.dedupeKey,
    up_id: event.upId,
    medication_name: event.medicationName,
    action: event.action,
    event_time: event.eventTime,
    received_at: receivedAt,
    source,
    event_id: event.eventId,
    raw_payload: JSON.stringify(payload),
  };
}

/** Each event as the message body a device would send: its JSON text. */
export function messageBodies(events: Iterable<unknown>): Buffer[] {
  const bodies: Buffer[] = [];
  for (const e of events) bodies.push(Buffer.from(JSON.stringify(e)));
  return bodies;
}
