import { DateTime } from 'luxon';
import { ACTIONS, isAction, type ValidEvent } from './event';
import { dedupeKeyOf } from './dedupeKey';
import { commonIsoInstant } from './isoInstant';
import { rejection, type Rejection } from './rejection';

export const MAX_UP_ID_LENGTH = 64;
export const MAX_MEDICATION_NAME_LENGTH = 128;
export const MAX_EVENT_ID_LENGTH = 128;

export type ValidationResult =
  { ok: true; event: ValidEvent } | { ok: false; rejection: Rejection };

// Control characters and lone surrogates cannot be stored faithfully (MySQL
// utf8mb4 refuses lone surrogates) and are never meant by a device.
const FORBIDDEN_CHARACTERS =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

// A UTC offset at the end: Z, +hh:mm, +hhmm or +hh. Luxon would silently read
// a time without one as local time, so this is checked before parsing.
const TRAILING_OFFSET = /(?:[zZ]|[+-](\d{2})(?::?(\d{2}))?)$/;

// The instants a JavaScript Date (and so every later step) can represent.
const MAX_EPOCH_MS = 8.64e15;

/** Counts Unicode characters (code points), as MySQL's utf8mb4 columns do. */
function characterCount(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

type TextResult = { ok: true; value: string } | { ok: false; rejection: Rejection };

function requiredText(
  payload: Record<string, unknown>,
  field: 'up_id' | 'medication_name',
  max: number,
): TextResult {
  const raw = payload[field];
  if (raw === undefined || raw === null) {
    return { ok: false, rejection: rejection(`missing_${field}`, field, `${field} is required`) };
  }
  if (typeof raw !== 'string') {
    return {
      ok: false,
      rejection: rejection(
        `invalid_${field}`,
        field,
        `${field} must be a string, got ${typeName(raw)}`,
      ),
    };
  }
  const value = raw.trim();
  if (value.length === 0) {
    return {
      ok: false,
      rejection: rejection(`missing_${field}`, field, `${field} must not be empty`),
    };
  }
  if (FORBIDDEN_CHARACTERS.test(value)) {
    return {
      ok: false,
      rejection: rejection(
        `invalid_${field}`,
        field,
        `${field} contains control characters or invalid Unicode`,
      ),
    };
  }
  if (characterCount(value) > max) {
    return {
      ok: false,
      rejection: rejection(
        'field_too_long',
        field,
        `${field} must be at most ${max} characters after trimming`,
      ),
    };
  }
  return { ok: true, value };
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

type TimeResult = { ok: true; value: number } | { ok: false; rejection: Rejection };

/** Parses an ISO 8601 date-time that carries its UTC offset into epoch milliseconds. */
export function parseEventTime(raw: unknown, field = 'event_time'): TimeResult {
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
    return { ok: false, rejection: rejection('missing_event_time', field, `${field} is required`) };
  }
  if (typeof raw !== 'string') {
    return {
      ok: false,
      rejection: rejection(
        'invalid_event_time',
        field,
        `${field} must be an ISO 8601 string, got ${typeName(raw)}`,
      ),
    };
  }
  const text = raw.trim();
  if (!text.includes('T') && !text.includes('t')) {
    return {
      ok: false,
      rejection: rejection(
        'invalid_event_time',
        field,
        `${field} must be an ISO 8601 date-time with a time part`,
      ),
    };
  }
  const offset = TRAILING_OFFSET.exec(text);
  if (offset === null) {
    return {
      ok: false,
      rejection: rejection(
        'missing_time_offset',
        field,
        `${field} must end with a UTC offset (Z, +hh:mm, +hhmm or +hh)`,
      ),
    };
  }
  // Luxon accepts any two digits (+99 would shift the instant by 99 hours).
  if (Number(offset[1] ?? 0) > 23 || Number(offset[2] ?? 0) > 59) {
    return {
      ok: false,
      rejection: rejection(
        'invalid_event_time',
        field,
        `${field} has a UTC offset out of range (at most 23:59)`,
      ),
    };
  }
  const common = commonIsoInstant(text);
  if (common !== undefined && Math.abs(common) <= MAX_EPOCH_MS) return { ok: true, value: common };
  const parsed = DateTime.fromISO(text, { setZone: true });
  if (!parsed.isValid) {
    const why = parsed.invalidExplanation ?? parsed.invalidReason ?? 'not a real instant';
    return {
      ok: false,
      rejection: rejection(
        'invalid_event_time',
        field,
        `${field} is not a valid ISO 8601 date-time: ${why}`,
      ),
    };
  }
  const millis = parsed.toMillis();
  if (!Number.isFinite(millis) || Math.abs(millis) > MAX_EPOCH_MS) {
    return {
      ok: false,
      rejection: rejection(
        'invalid_event_time',
        field,
        `${field} is outside the representable range of instants`,
      ),
    };
  }
  return { ok: true, value: millis };
}

/** Validates one raw item exactly per the event table of the semantics. */
export function validateEvent(payload: unknown): ValidationResult {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return {
      ok: false,
      rejection: rejection(
        'not_an_object',
        null,
        `an event must be a JSON object, got ${typeName(payload)}`,
      ),
    };
  }
  const item = payload as Record<string, unknown>;
  const upId = requiredText(item, 'up_id', MAX_UP_ID_LENGTH);
  if (!upId.ok) return upId;
  const medicationName = requiredText(item, 'medication_name', MAX_MEDICATION_NAME_LENGTH);
  if (!medicationName.ok) return medicationName;

  const action = item.action;
  if (action === undefined || action === null || action === '') {
    return { ok: false, rejection: rejection('missing_action', 'action', 'action is required') };
  }
  if (!isAction(action)) {
    return {
      ok: false,
      rejection: rejection(
        'invalid_action',
        'action',
        `action must be one of ${ACTIONS.join(', ')}`,
      ),
    };
  }
  const eventTime = parseEventTime(item.event_time);
  if (!eventTime.ok) return eventTime;

  const eventId = validateEventId(item.event_id);
  if (!eventId.ok) return eventId;

  const event: ValidEvent = {
    upId: upId.value,
    medicationName: medicationName.value,
    action,
    eventTime: eventTime.value,
    eventId: eventId.value,
    dedupeKey: '',
  };
  // Filled in place: an object spread per event cost more than the key's hash.
  event.dedupeKey = dedupeKeyOf(event);
  return { ok: true, event };
}

function validateEventId(
  raw: unknown,
): { ok: true; value: string | null } | { ok: false; rejection: Rejection } {
  if (raw === undefined || raw === null) return { ok: true, value: null };
  if (typeof raw !== 'string' || raw.length === 0) {
    return {
      ok: false,
      rejection: rejection(
        'invalid_event_id',
        'event_id',
        'event_id, when given, must be a non-empty string',
      ),
    };
  }
  if (FORBIDDEN_CHARACTERS.test(raw)) {
    return {
      ok: false,
      rejection: rejection(
        'invalid_event_id',
        'event_id',
        'event_id contains control characters or invalid Unicode',
      ),
    };
  }
  if (characterCount(raw) > MAX_EVENT_ID_LENGTH) {
    return {
      ok: false,
      rejection: rejection(
        'field_too_long',
        'event_id',
        `event_id must be at most ${MAX_EVENT_ID_LENGTH} characters`,
      ),
    };
  }
  return { ok: true, value: raw };
}
