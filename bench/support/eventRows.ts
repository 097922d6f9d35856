import { eventRow, type EventLogRow } from '../../src/store/appendEvents';
import { validateEvent } from '../../src/domain';

export type { EventLogRow } from '../../src/store/appendEvents';

export function eventLogRow(
  payload: unknown,
  receivedAt: number,
  source: EventLogRow['source'] = 'http',
): EventLogRow {
  const result = validateEvent(payload);
  if (!result.ok) throw new Error(`generated an invalid event: ${result.rejection.reason}`);
  return eventRow({ event: result.event, raw: JSON.stringify(payload) }, { source, receivedAt });
}

/** Each event as the message body a device would send: its JSON text. */
export function messageBodies(events: Iterable<unknown>): Buffer[] {
  const bodies: Buffer[] = [];
  for (const e of events) bodies.push(Buffer.from(JSON.stringify(e)));
  return bodies;
}
