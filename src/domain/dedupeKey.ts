import { hash } from 'node:crypto';
import type { Action } from './event';
import { isoTime } from './isoTime';

/**
 * The idempotency key of an accepted event: the device's event_id when given,
 * otherwise a hash of what the event says. The prefixes keep the two kinds
 * from ever colliding.
 */
export function dedupeKeyOf(fields: {
  upId: string;
  medicationName: string;
  action: Action;
  eventTime: number;
  eventId: string | null;
}): string {
  if (fields.eventId !== null) return `id:${fields.eventId}`;
  const canonical = JSON.stringify([
    fields.upId,
    fields.medicationName,
    fields.action,
    isoTime(fields.eventTime),
  ]);
  // The one-shot hash: a Hash object per event cost about a microsecond more.
  return `h:${hash('sha256', canonical, 'hex')}`;
}
