import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadDeviceSample } from '../../test/support/deviceSample';
import { REJECTION_REASONS, type RejectionReason } from './rejection';
import {
  MAX_EVENT_ID_LENGTH,
  MAX_MEDICATION_NAME_LENGTH,
  MAX_UP_ID_LENGTH,
  validateEvent,
  type ValidationResult,
} from './validateEvent';
import type { ValidEvent } from './event';

// The shared folder sits next to the repository checkout.

const BASE = {
  up_id: 'avi123',
  medication_name: 'Acamol',
  action: 'start',
  event_time: '2021-03-24T18:23:56Z',
} as const;

function withFields(fields: Record<string, unknown>): Record<string, unknown> {
  return { ...BASE, ...fields };
}

function without(field: keyof typeof BASE): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...BASE };
  delete copy[field];
  return copy;
}

function accepted(payload: unknown): ValidEvent {
  const result = validateEvent(payload);
  if (!result.ok) {
    throw new Error(
      `expected acceptance, got ${result.rejection.reason}: ${result.rejection.message}`,
    );
  }
  return result.event;
}

function rejectedFor(payload: unknown): { reason: RejectionReason; field: string | null } {
  const result: ValidationResult = validateEvent(payload);
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result.event)}`);
  expect(REJECTION_REASONS).toContain(result.rejection.reason);
  expect(result.rejection.message.length).toBeGreaterThan(0);
  return { reason: result.rejection.reason, field: result.rejection.field };
}

/** UTC epoch ms from calendar fields, month 1-based (independent of any ISO parser). */
function utc(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  return Date.UTC(y, mo - 1, d, h, mi, s, ms);
}

/** A string of n code points, each outside the Basic Multilingual Plane (2 UTF-16 units). */
function astral(n: number): string {
  return '\u{1F48A}'.repeat(n); // pill emoji
}

describe('validateEvent: the payload', () => {
  it.each([
    ['null', null],
    ['undefined', undefined],
    ['an empty array', []],
    ['an array holding a valid event', [BASE]],
    ['a number', 42],
    ['a string', JSON.stringify(BASE)],
    ['a boolean', true],
  ])('rejects %s as not_an_object, blaming no field', (_label, payload) => {
    expect(rejectedFor(payload)).toEqual({ reason: 'not_an_object', field: null });
  });

  it('accepts a well-formed event and returns the normalized fields', () => {
    const event = accepted(BASE);
    expect(event).toEqual({
      upId: 'avi123',
      medicationName: 'Acamol',
      action: 'start',
      eventTime: utc(2021, 3, 24, 18, 23, 56),
      eventId: null,
      dedupeKey: expect.stringMatching(/^h:/),
    });
  });

  it('ignores unknown extra fields', () => {
    const plain = accepted(BASE);
    const extra = accepted(
      withFields({ note: 'x', dose_mg: 500, nested: { a: [1, 2] }, ID: 'e1' }),
    );
    expect(extra).toEqual(plain);
  });

  it('checks fields in the order up_id, medication_name, action, event_time, event_id', () => {
    const allBad: Record<string, unknown> = {
      up_id: '',
      medication_name: '',
      action: 'ppp',
      event_time: '2021-18-24T23:15:56+0000',
      event_id: '',
    };
    expect(rejectedFor(allBad)).toEqual({ reason: 'missing_up_id', field: 'up_id' });
    allBad.up_id = 'avi123';
    expect(rejectedFor(allBad)).toEqual({
      reason: 'missing_medication_name',
      field: 'medication_name',
    });
    allBad.medication_name = 'Acamol';
    expect(rejectedFor(allBad)).toEqual({ reason: 'invalid_action', field: 'action' });
    allBad.action = 'start';
    expect(rejectedFor(allBad)).toEqual({ reason: 'invalid_event_time', field: 'event_time' });
    allBad.event_time = BASE.event_time;
    expect(rejectedFor(allBad)).toEqual({ reason: 'invalid_event_id', field: 'event_id' });
    allBad.event_id = 'e-1';
    expect(accepted(allBad).eventId).toBe('e-1');
  });
});

describe.each([
  {
    field: 'up_id' as const,
    prop: 'upId' as const,
    max: 64,
    exported: MAX_UP_ID_LENGTH,
    missing: 'missing_up_id',
    invalid: 'invalid_up_id',
  },
  {
    field: 'medication_name' as const,
    prop: 'medicationName' as const,
    max: 128,
    exported: MAX_MEDICATION_NAME_LENGTH,
    missing: 'missing_medication_name',
    invalid: 'invalid_medication_name',
  },
])('validateEvent: $field', ({ field, prop, max, exported, missing, invalid }) => {
  it(`has the spec's limit of ${max} characters`, () => {
    expect(exported).toBe(max);
  });

  it.each([
    ['absent', undefined],
    ['null', null],
    ['an empty string', ''],
    ['only whitespace', ' \t\n '],
  ])(`is ${missing} when %s`, (_label, value) => {
    const payload = value === undefined ? without(field) : withFields({ [field]: value });
    expect(rejectedFor(payload)).toEqual({ reason: missing, field });
  });

  it.each([
    ['a number', 123],
    ['a boolean', true],
    ['an object', { id: 'avi123' }],
    ['an array', ['avi123']],
  ])(`is ${invalid} when it is %s`, (_label, value) => {
    expect(rejectedFor(withFields({ [field]: value }))).toEqual({ reason: invalid, field });
  });

  it('is trimmed of surrounding whitespace', () => {
    expect(accepted(withFields({ [field]: '  \t Vit D 3 \n' }))[prop]).toBe('Vit D 3');
  });

  it('keeps inner whitespace and case exactly', () => {
    expect(accepted(withFields({ [field]: 'AvI  123' }))[prop]).toBe('AvI  123');
  });

  it(`accepts exactly ${max} characters and rejects ${max + 1} with field_too_long`, () => {
    expect(accepted(withFields({ [field]: 'x'.repeat(max) }))[prop]).toBe('x'.repeat(max));
    expect(rejectedFor(withFields({ [field]: 'x'.repeat(max + 1) }))).toEqual({
      reason: 'field_too_long',
      field,
    });
  });

  it('counts the limit after trimming', () => {
    const padded = `   ${'x'.repeat(max)}   `;
    expect(accepted(withFields({ [field]: padded }))[prop]).toBe('x'.repeat(max));
  });

  it('counts characters as Unicode code points, not UTF-16 units', () => {
    // max astral characters are 2*max UTF-16 units: still within the limit.
    expect(accepted(withFields({ [field]: astral(max) }))[prop]).toBe(astral(max));
    expect(rejectedFor(withFields({ [field]: astral(max + 1) }))).toEqual({
      reason: 'field_too_long',
      field,
    });
    const accented = 'é'.repeat(max); // 2 UTF-8 bytes each, still one character
    expect(accepted(withFields({ [field]: accented }))[prop]).toBe(accented);
  });

  it.each([
    ['a NUL', 'avi\u0000123'],
    ['an inner newline', 'avi\n123'],
    ['an inner tab', 'avi\t123'],
    ['an escape', 'avi\u001b[31m'],
    ['a DEL', 'avi\u007f'],
    ['a lone high surrogate', 'avi\ud83d123'],
    ['a lone low surrogate', 'avi\udc8a123'],
    ['a trailing lone high surrogate', 'avi123\ud83d'],
    ['a leading lone low surrogate', '\udc8aavi123'],
    ['a reversed surrogate pair', 'avi\udc8a\ud83d123'],
    ['a lone high surrogate before a pair', 'avi\ud83d\ud83d\udc8a'],
    ['a pair followed by a lone low surrogate', 'avi\ud83d\udc8a\udc8a'],
  ])(`is ${invalid} when it contains %s`, (_label, value) => {
    expect(rejectedFor(withFields({ [field]: value }))).toEqual({ reason: invalid, field });
  });

  it('accepts a properly paired surrogate (an astral character)', () => {
    expect(accepted(withFields({ [field]: 'avi\ud83d\udc8a' }))[prop]).toBe('avi\u{1F48A}');
  });
});

describe('validateEvent: action', () => {
  it.each(['start', 'stop', 'cancel_start', 'cancel_stop'])('accepts %s', (action) => {
    expect(accepted(withFields({ action })).action).toBe(action);
  });

  it.each([
    ['absent', undefined],
    ['null', null],
    ['an empty string', ''],
  ])('is missing_action when %s', (_label, value) => {
    const payload = value === undefined ? without('action') : withFields({ action: value });
    expect(rejectedFor(payload)).toEqual({ reason: 'missing_action', field: 'action' });
  });

  it.each([
    'ppp',
    'Start',
    'START',
    'Stop',
    'Cancel_start',
    ' start',
    'stop ',
    'cancel-start',
    'cancelstart',
    'cancel_stop\n',
    'end',
    '   ',
  ])('is invalid_action for %j (exact, case-sensitive)', (action) => {
    expect(rejectedFor(withFields({ action }))).toEqual({
      reason: 'invalid_action',
      field: 'action',
    });
  });

  it.each([
    ['a number', 1],
    ['a boolean', true],
    ['an array', ['start']],
    ['an object', { start: true }],
  ])('is invalid_action when it is %s', (_label, action) => {
    expect(rejectedFor(withFields({ action }))).toEqual({
      reason: 'invalid_action',
      field: 'action',
    });
  });
});

describe('validateEvent: event_time', () => {
  const timeOf = (eventTime: string): number =>
    accepted(withFields({ event_time: eventTime })).eventTime;
  const reasonOf = (eventTime: unknown) => rejectedFor(withFields({ event_time: eventTime }));

  it.each([
    ['Z', '2021-03-24T19:23:56Z', utc(2021, 3, 24, 19, 23, 56)],
    ['lower-case z', '2021-03-24T19:23:56z', utc(2021, 3, 24, 19, 23, 56)],
    ['+00:00', '2021-03-24T19:23:56+00:00', utc(2021, 3, 24, 19, 23, 56)],
    ['-00:00', '2021-03-24T19:23:56-00:00', utc(2021, 3, 24, 19, 23, 56)],
    ['+0000 (the device format)', '2021-03-24T19:23:56+0000', utc(2021, 3, 24, 19, 23, 56)],
    ['+00', '2021-03-24T19:23:56+00', utc(2021, 3, 24, 19, 23, 56)],
    ['+hh:mm', '2021-03-24T19:23:56+02:00', utc(2021, 3, 24, 17, 23, 56)],
    ['+hhmm', '2021-03-24T19:23:56+0200', utc(2021, 3, 24, 17, 23, 56)],
    ['+hh', '2021-03-24T19:23:56+02', utc(2021, 3, 24, 17, 23, 56)],
    ['+hh:mm with minutes', '2021-03-24T19:23:56+05:30', utc(2021, 3, 24, 13, 53, 56)],
    ['+hhmm with minutes', '2021-03-24T19:23:56+0545', utc(2021, 3, 24, 13, 38, 56)],
    ['-hh:mm', '2021-03-24T19:23:56-05:00', utc(2021, 3, 25, 0, 23, 56)],
    ['-hhmm', '2021-03-24T19:23:56-0500', utc(2021, 3, 25, 0, 23, 56)],
    ['-hh', '2021-03-24T19:23:56-05', utc(2021, 3, 25, 0, 23, 56)],
    ['-hh:mm with minutes', '2021-03-24T19:23:56-03:30', utc(2021, 3, 24, 22, 53, 56)],
    ['+14:00 (earliest zone)', '2021-03-24T10:00:00+14:00', utc(2021, 3, 23, 20, 0, 0)],
    ['-12:00 (latest zone)', '2021-03-24T20:00:00-12:00', utc(2021, 3, 25, 8, 0, 0)],
    ['an offset crossing a year', '2021-01-01T00:30:00+01:00', utc(2020, 12, 31, 23, 30, 0)],
    ['an offset crossing a leap day', '2020-02-29T23:00:00-02:00', utc(2020, 3, 1, 1, 0, 0)],
    ['minutes only', '2021-03-24T19:23Z', utc(2021, 3, 24, 19, 23, 0)],
    ['24:00, the midnight ending the day', '2021-03-24T24:00:00Z', utc(2021, 3, 25, 0, 0, 0)],
    ['24:00 with an offset', '2021-12-31T24:00:00+01:00', utc(2021, 12, 31, 23, 0, 0)],
    ['the epoch', '1970-01-01T00:00:00Z', 0],
  ])('converts %s to UTC epoch ms', (_label, eventTime, expected) => {
    expect(timeOf(eventTime)).toBe(expected);
  });

  it('accepts 2020-02-29 (a leap year) but rejects 2021-02-29', () => {
    expect(timeOf('2020-02-29T12:00:00Z')).toBe(utc(2020, 2, 29, 12));
    expect(reasonOf('2021-02-29T12:00:00Z')).toEqual({
      reason: 'invalid_event_time',
      field: 'event_time',
    });
  });

  it.each([
    ['February 30th', '2021-02-30T00:00:00Z'],
    ['month 18 (the device sample)', '2021-18-24T23:15:56+0000'],
    ['month 00', '2021-00-10T00:00:00Z'],
    ['April 31st', '2021-04-31T00:00:00Z'],
    ['day 00', '2021-03-00T00:00:00Z'],
    ['hour 25', '2021-03-24T25:00:00Z'],
    ['minute 60', '2021-03-24T19:60:00Z'],
    ['second 60', '2021-03-24T23:59:60Z'],
    ['garbage with a Z', 'yesterdayTZ'],
    ['an RFC 2822 date', 'Wed, 24 Mar 2021 19:23:56 GMT+0000'],
    ['an unpadded date', '2021-3-4T1:2:3Z'],
    ['a space instead of T', '2021-03-24 19:23:56Z'],
    ['an empty fraction', '2021-03-24T19:23:56.Z'],
    ['an offset hour of 24', '2021-03-24T19:23:56+24:00'],
    ['an offset hour of 99', '2021-03-24T19:23:56+99'],
    ['an offset minute of 60', '2021-03-24T19:23:56+05:60'],
    ['an instant beyond what a Date can hold', '+275760-09-13T00:00:00-01:00'],
  ])('rejects %s as invalid_event_time', (_label, eventTime) => {
    expect(reasonOf(eventTime)).toEqual({ reason: 'invalid_event_time', field: 'event_time' });
  });

  it.each([
    ['a date', '2021-03-24'],
    ['a date with Z', '2021-03-24Z'],
    ['a basic-format date', '20210324'],
  ])('rejects %s without a time as invalid_event_time', (_label, eventTime) => {
    expect(reasonOf(eventTime)).toEqual({ reason: 'invalid_event_time', field: 'event_time' });
  });

  // Luxon would fill in what is missing: 2021-03T10:00Z would be March 1st.
  it.each([
    ['a year and month', '2021-03T10:00Z'],
    ['a year alone', '2021T12Z'],
    ['a year and week without the weekday', '2021-W12T10:00Z'],
    ['a basic year and month', '202103T10:00Z'],
    ['a two-digit year', '21-03-24T10:00Z'],
    ['a T with no time after it', '2021-03-24T'],
    ['a T followed by the offset only', '2021-03-24TZ'],
  ])('rejects %s as invalid_event_time instead of completing the date', (_label, eventTime) => {
    expect(reasonOf(eventTime)).toEqual({ reason: 'invalid_event_time', field: 'event_time' });
  });

  it.each([
    ['an ordinal date', '2021-083T10:00Z'],
    ['a basic ordinal date', '2021083T10:00Z'],
    ['a week date', '2021-W12-3T10:00Z'],
    ['a basic week date', '2021W123T10:00Z'],
    ['a basic calendar date', '20210324T100000Z'],
    ['an expanded year', '+002021-03-24T10:00Z'],
  ])('accepts %s, a complete date, as the same instant', (_label, eventTime) => {
    expect(timeOf(eventTime)).toBe(utc(2021, 3, 24, 10));
  });

  it.each([
    '2021-03-24T19:23:56',
    '2021-03-24T19:23:56.123',
    '2021-03-24T19:23',
    '2021-03-24T19:23:56+5',
    '2021-03-24T19:23:56 UTC',
  ])('rejects %j (no UTC offset) as missing_time_offset', (eventTime) => {
    expect(reasonOf(eventTime)).toEqual({ reason: 'missing_time_offset', field: 'event_time' });
  });

  it.each([
    ['absent', undefined],
    ['null', null],
    ['an empty string', ''],
    ['only whitespace', '   '],
  ])('is missing_event_time when %s', (_label, value) => {
    const payload = value === undefined ? without('event_time') : withFields({ event_time: value });
    expect(rejectedFor(payload)).toEqual({ reason: 'missing_event_time', field: 'event_time' });
  });

  it.each([
    ['epoch milliseconds', 1616613836000],
    ['a boolean', true],
    ['an object', { iso: '2021-03-24T19:23:56Z' }],
  ])('is invalid_event_time when it is %s', (_label, value) => {
    expect(reasonOf(value)).toEqual({ reason: 'invalid_event_time', field: 'event_time' });
  });

  it('ignores whitespace around the time', () => {
    expect(timeOf(' 2021-03-24T19:23:56Z\n')).toBe(utc(2021, 3, 24, 19, 23, 56));
  });

  it.each([
    ['.1', 100],
    ['.12', 120],
    ['.123', 123],
    ['.1239', 123],
    ['.999999', 999],
    ['.999999999', 999],
    ['.0009', 0],
    ['.000', 0],
  ])('truncates the fraction %s to milliseconds', (fraction, ms) => {
    expect(timeOf(`2021-03-24T19:23:56${fraction}Z`)).toBe(utc(2021, 3, 24, 19, 23, 56, ms));
    expect(timeOf(`2021-03-24T19:23:56${fraction}-02:00`)).toBe(utc(2021, 3, 24, 21, 23, 56, ms));
  });

  it('keeps every millisecond value exactly (no floating-point loss)', () => {
    for (let ms = 0; ms < 1000; ms++) {
      const digits = String(ms).padStart(3, '0');
      expect(timeOf(`2021-03-24T19:23:56.${digits}Z`)).toBe(utc(2021, 3, 24, 19, 23, 56, ms));
      expect(timeOf(`2021-03-24T19:23:56.${digits}987Z`)).toBe(utc(2021, 3, 24, 19, 23, 56, ms));
    }
  });

  it('reads any instant written in any valid offset form back to the same epoch ms', () => {
    const pad = (n: number, width = 2) => String(n).padStart(width, '0');
    fc.assert(
      fc.property(
        // Years 1000..9999 at millisecond precision.
        fc.integer({ min: utc(1000, 1, 1), max: utc(9999, 12, 30) }),
        fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }),
        fc.constantFrom('Z', 'hh:mm', 'hhmm', 'hh'),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 999 }),
        (instant, offsetMinutes, form, extraDigits, extra) => {
          if (form === 'Z') offsetMinutes = 0;
          if (form === 'hh') offsetMinutes -= offsetMinutes % 60;
          const local = new Date(instant + offsetMinutes * 60_000);
          const sign = offsetMinutes < 0 ? '-' : '+';
          const oh = pad(Math.floor(Math.abs(offsetMinutes) / 60));
          const om = pad(Math.abs(offsetMinutes) % 60);
          const suffix = {
            Z: 'Z',
            'hh:mm': `${sign}${oh}:${om}`,
            hhmm: `${sign}${oh}${om}`,
            hh: `${sign}${oh}`,
          }[form];
          const fraction = pad(local.getUTCMilliseconds(), 3) + pad(extra, 3).slice(0, extraDigits);
          const text =
            `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
            `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}` +
            `.${fraction}${suffix}`;
          expect(timeOf(text)).toBe(instant);
        },
      ),
      { seed: 42, numRuns: 500 },
    );
  });
});

describe('validateEvent: event_id', () => {
  it.each([
    ['absent', undefined],
    ['null', null],
  ])('is optional: %s gives no event id and a content hash key', (_label, value) => {
    const payload = value === undefined ? BASE : withFields({ event_id: value });
    const event = accepted(payload);
    expect(event.eventId).toBeNull();
    expect(event.dedupeKey).toMatch(/^h:[0-9a-f]{64}$/);
  });

  it('when given, it is the dedupe key (prefixed id:)', () => {
    const event = accepted(withFields({ event_id: 'dev-42/000017' }));
    expect(event.eventId).toBe('dev-42/000017');
    expect(event.dedupeKey).toBe('id:dev-42/000017');
  });

  it('is not trimmed', () => {
    const event = accepted(withFields({ event_id: ' e1 ' }));
    expect(event.eventId).toBe(' e1 ');
    expect(event.dedupeKey).toBe('id: e1 ');
  });

  it('is invalid_event_id when empty', () => {
    expect(rejectedFor(withFields({ event_id: '' }))).toEqual({
      reason: 'invalid_event_id',
      field: 'event_id',
    });
  });

  it.each([
    ['a number', 17],
    ['a boolean', false],
    ['an object', { id: 'e1' }],
    ['an array', ['e1']],
  ])('is invalid_event_id when it is %s', (_label, value) => {
    expect(rejectedFor(withFields({ event_id: value }))).toEqual({
      reason: 'invalid_event_id',
      field: 'event_id',
    });
  });

  it(`accepts ${MAX_EVENT_ID_LENGTH} characters and rejects 129 with field_too_long`, () => {
    expect(MAX_EVENT_ID_LENGTH).toBe(128);
    expect(accepted(withFields({ event_id: 'e'.repeat(128) })).eventId).toBe('e'.repeat(128));
    expect(rejectedFor(withFields({ event_id: 'e'.repeat(129) }))).toEqual({
      reason: 'field_too_long',
      field: 'event_id',
    });
  });

  it('counts its length in code points', () => {
    expect(accepted(withFields({ event_id: astral(128) })).eventId).toBe(astral(128));
    expect(rejectedFor(withFields({ event_id: astral(129) }))).toEqual({
      reason: 'field_too_long',
      field: 'event_id',
    });
  });

  it.each([
    ['a NUL', 'e\u00001'],
    ['a newline', 'e1\n'],
    ['a lone high surrogate', 'e\ud83d'],
    ['a lone low surrogate', '\udc8ae'],
  ])('is invalid_event_id when it contains %s', (_label, value) => {
    expect(rejectedFor(withFields({ event_id: value }))).toEqual({
      reason: 'invalid_event_id',
      field: 'event_id',
    });
  });
});

describe('validateEvent: the dedupe key', () => {
  const keyOf = (payload: Record<string, unknown>) => accepted(payload).dedupeKey;

  it('is the same for the same event written with different offsets, fractions and padding', () => {
    const forms = [
      '2021-03-24T19:23:56Z',
      '2021-03-24T19:23:56.000Z',
      '2021-03-24T19:23:56.0004Z',
      '2021-03-24T21:23:56+02:00',
      '2021-03-24T21:23:56+0200',
      '2021-03-24T21:23:56+02',
      '2021-03-24T14:23:56-05:00',
      '2021-03-25T00:53:56+05:30',
      '2021-03-24T19:23:56+0000',
    ];
    const keys = forms.map((event_time) => keyOf(withFields({ event_time })));
    expect(new Set(keys).size).toBe(1);
    // Identifiers are trimmed before the key is made.
    expect(keyOf(withFields({ up_id: ' avi123 ', medication_name: 'Acamol\t' }))).toBe(
      keyOf({ ...BASE }),
    );
  });

  it('differs whenever the event differs', () => {
    const variants = [
      BASE,
      withFields({ up_id: 'Avi123' }),
      withFields({ up_id: 'avi124' }),
      withFields({ medication_name: 'acamol' }),
      withFields({ action: 'stop' }),
      withFields({ action: 'cancel_start' }),
      withFields({ event_time: '2021-03-24T18:23:56.001Z' }),
      withFields({ event_time: '2021-03-24T18:23:56+01:00' }),
      // Field boundaries cannot be moved: ('avi12', '3Acamol') is another event.
      withFields({ up_id: 'avi12', medication_name: '3Acamol' }),
      withFields({ event_id: 'e1' }),
      withFields({ event_id: 'E1' }),
    ];
    const keys = variants.map(keyOf);
    expect(new Set(keys).size).toBe(variants.length);
  });

  it('depends only on event_id when one is given', () => {
    const a = keyOf(withFields({ event_id: 'e1' }));
    const b = keyOf(
      withFields({ event_id: 'e1', action: 'stop', event_time: '2022-01-01T00:00:00Z' }),
    );
    expect(a).toBe('id:e1');
    expect(b).toBe('id:e1');
  });

  it('never collides between an event_id key and a content key', () => {
    const hashed = keyOf({ ...BASE });
    expect(keyOf(withFields({ event_id: hashed }))).not.toBe(hashed);
    expect(keyOf(withFields({ event_id: hashed.slice(2) }))).not.toBe(hashed);
  });
});

describe('validateEvent: the device sample', () => {
  const items = loadDeviceSample();

  it('has 24 items', () => {
    expect(items).toHaveLength(24);
  });

  it('accepts the first 17 items with their +0000 times read as UTC', () => {
    const results = items.slice(0, 17).map((item) => validateEvent(item));
    expect(results.every((r) => r.ok)).toBe(true);
    // Item 0: avi123 Propecia stop at 2021-03-24T19:23:56+0000.
    expect(accepted(items[0])).toEqual({
      upId: 'avi123',
      medicationName: 'Propecia',
      action: 'stop',
      eventTime: utc(2021, 3, 24, 19, 23, 56),
      eventId: null,
      dedupeKey: expect.stringMatching(/^h:/),
    });
    const keys = results.map((r) => (r.ok ? r.event.dedupeKey : ''));
    expect(new Set(keys).size).toBe(17);
  });

  it.each([
    [17, 'invalid_action', 'action'], // action "ppp"
    [18, 'invalid_event_time', 'event_time'], // month 18
    [19, 'missing_up_id', 'up_id'], // empty up_id (and month 18)
    [20, 'missing_medication_name', 'medication_name'], // empty name (and month 18)
    [21, 'missing_action', 'action'], // empty action (and month 18)
    [22, 'missing_event_time', 'event_time'], // empty event_time
    [23, 'missing_up_id', 'up_id'], // {}
  ])('rejects item %i with %s', (index, reason, field) => {
    expect(rejectedFor(items[index])).toEqual({ reason, field });
  });
});
