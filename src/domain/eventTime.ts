import { DateTime } from 'luxon';
import { commonIsoInstant } from './isoInstant';
import { rejection, type Rejection } from './rejection';
import { typeName } from './textFields';

// A UTC offset at the end: Z, +hh:mm, +hhmm or +hh. Luxon would silently read
// a time without one as local time, so this is checked before parsing.
const TRAILING_OFFSET = /(?:[zZ]|[+-](\d{2})(?::?(\d{2}))?)$/;

// A complete date: calendar (2021-03-24), ordinal (2021-083) or week
// (2021-W12-3), extended or basic, with an optional expanded year. Luxon also
// takes a reduced one and fills in the rest (2021-03T10:00Z is read as March
// 1st), which would turn a timestamp that lost its day into a real-looking one.
const COMPLETE_DATE =
  /^(?:[+-]\d{6}|[+-]?\d{4})(?:-\d{2}-\d{2}|\d{4}|-\d{3}|\d{3}|-[wW]\d{2}-\d|[wW]\d{3})$/;

// The instants a JavaScript Date (and so every later step) can represent.
const MAX_EPOCH_MS = 8.64e15;

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
  const timeAt = text.search(/[tT]/);
  if (timeAt < 0 || !/\d/.test(text.charAt(timeAt + 1))) {
    return {
      ok: false,
      rejection: rejection(
        'invalid_event_time',
        field,
        `${field} must be an ISO 8601 date-time with a time part`,
      ),
    };
  }
  if (!COMPLETE_DATE.test(text.slice(0, timeAt))) {
    return {
      ok: false,
      rejection: rejection(
        'invalid_event_time',
        field,
        `${field} must have a complete date (year, month and day; or year and day of the year; or year, week and weekday)`,
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
