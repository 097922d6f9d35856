import { rejection, type Rejection } from './rejection';

export const MAX_EVENT_ID_LENGTH = 128;

// Control characters and lone surrogates cannot be stored faithfully (MySQL
// utf8mb4 refuses lone surrogates) and are never meant by a device.
const FORBIDDEN_CHARACTERS =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Counts Unicode characters (code points), as MySQL's utf8mb4 columns do. */
export function characterCount(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

type TextResult = { ok: true; value: string } | { ok: false; rejection: Rejection };

export function requiredText(
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

export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

export function validateEventId(
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
