import {
  MAX_MEDICATION_NAME_LENGTH,
  MAX_UP_ID_LENGTH,
  characterCount,
  parseEventTime,
} from '../domain';
import { invalidParameter } from './errors';

/**
 * An identifier from the URL, trimmed like the domain trims event fields, so
 * that " avi123" finds what the device sent as "avi123 ".
 */
export function requireIdentifier(raw: string, field: string, max: number): string {
  const value = raw.trim();
  if (value.length === 0) throw invalidParameter(field, 'must not be empty');
  // Code points never outnumber UTF-16 units: count them only when it can matter.
  if (value.length > max && characterCount(value) > max) {
    throw invalidParameter(field, `must be 1-${max} characters after trimming`);
  }
  return value;
}

export function requireUpId(raw: string): string {
  return requireIdentifier(raw, 'up_id', MAX_UP_ID_LENGTH);
}

export function optionalMedication(raw: string | undefined): string | undefined {
  return raw === undefined
    ? undefined
    : requireIdentifier(raw, 'medication', MAX_MEDICATION_NAME_LENGTH);
}

/**
 * An instant in the query string, under the same rule as an event's
 * event_time (offset required), so clients learn one format.
 */
export function parseInstantParam(raw: string | undefined, field: string): number | undefined {
  if (raw === undefined) return undefined;
  const parsed = parseEventTime(raw, field);
  if (parsed.ok) return parsed.value;
  // The domain's messages start with the field name; ours put it first anyway.
  const detail = parsed.rejection.message.replace(new RegExp(`^${field} `), '');
  // A literal '+' in a query string decodes to a space: the commonest way to
  // lose the offset, so say so.
  const hint = /\s/.test(raw.trim()) ? "; a '+' in a URL must be written %2B" : '';
  throw invalidParameter(
    field,
    `must be an ISO 8601 date-time with a UTC offset, e.g. 2021-03-24T18:00:00Z (${detail}${hint})`,
  );
}

export interface TimeWindow {
  from?: number;
  to?: number;
}

/** The [from, to) window of a query; an empty or inverted one is a client mistake. */
export function parseTimeWindow(query: { from?: string; to?: string }): TimeWindow {
  const from = parseInstantParam(query.from, 'from');
  const to = parseInstantParam(query.to, 'to');
  if (from !== undefined && to !== undefined && from >= to) {
    throw invalidParameter('from, to', 'from must be earlier than to (the window is [from, to))');
  }
  return { from, to };
}
