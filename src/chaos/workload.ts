/**
 * The chaos run's device traffic, generated from a seed: valid events over
 * many streams (some with a device event_id), exact re-sends of earlier
 * events (duplicates), events held back and sent at the end (late), and
 * invalid messages of every kind the transports meet.
 */
export interface Workload {
  /** Every message body, in publishing order. */
  messages: Buffer[];
  /** The payloads of the messages that parse as JSON objects (valid or not). */
  jsonPayloads: unknown[];
  /** Bodies expected to be rejected, one entry per message sent. */
  invalidBodies: Buffer[];
  /** How many messages are exact copies of an earlier one. */
  copies: number;
  /** How many valid events were held back and sent last. */
  late: number;
}

/** A small, fast, seeded generator (mulberry32): the same seed gives the same run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ACTIONS = ['start', 'stop', 'start', 'stop', 'cancel_start', 'cancel_stop'];
const BASE_TIME = Date.UTC(2025, 0, 1);

/** Invalid messages: bad fields, not an object, not JSON, not UTF-8. */
function invalidBody(i: number, random: () => number): Buffer {
  const kinds: (() => Buffer | string)[] = [
    () => JSON.stringify({ medication_name: 'Zinc', action: 'start', event_time: 'x' }),
    () =>
      JSON.stringify({
        up_id: `bad-${i}`,
        medication_name: 'Zinc',
        action: 'Start',
        event_time: '2025-01-01T00:00:00Z',
      }),
    () =>
      JSON.stringify({
        up_id: `bad-${i}`,
        medication_name: 'Zinc',
        action: 'stop',
        event_time: '2025-02-30T00:00:00Z',
      }),
    () =>
      JSON.stringify({
        up_id: `bad-${i}`,
        medication_name: 'Zinc',
        action: 'stop',
        event_time: '2025-01-01T00:00:00',
      }),
    () => JSON.stringify([`not an object ${i}`]),
    () => `{"up_id": "bad-${i}", "medication_name": `,
    () => Buffer.from([0x7b, 0xff, 0xfe, 0x7d, i & 0x7f]),
    () =>
      JSON.stringify({
        up_id: 'x'.repeat(65),
        medication_name: `M${i}`,
        action: 'start',
        event_time: '2025-01-01T00:00:00Z',
      }),
  ];
  const body = kinds[Math.floor(random() * kinds.length)]!();
  return Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
}

export interface WorkloadOptions {
  events: number;
  seed: number;
  /** Streams are patients × medications; ~100 events per stream by default. */
  streams?: number;
}

/** `events` messages in all: about 90% new valid events, 5% copies, 3% late, 2% invalid. */
export function generateWorkload({ events, seed, streams }: WorkloadOptions): Workload {
  const random = seededRandom(seed);
  const streamCount = streams ?? Math.max(1, Math.ceil(events / 100));
  const messages: Buffer[] = [];
  const jsonPayloads: unknown[] = [];
  const invalidBodies: Buffer[] = [];
  const held: { body: Buffer; payload: unknown }[] = [];
  let copies = 0;
  const pushValid = (payload: unknown, body: Buffer) => {
    messages.push(body);
    jsonPayloads.push(payload);
  };
  for (let i = 0; messages.length + held.length < events; i++) {
    const roll = random();
    if (roll < 0.02) {
      const body = invalidBody(i, random);
      messages.push(body);
      invalidBodies.push(body);
      continue;
    }
    if (roll < 0.07 && jsonPayloads.length > 0) {
      // An exact copy of an earlier message: a device re-sending, or a redelivery upstream.
      const j = Math.floor(random() * jsonPayloads.length);
      pushValid(jsonPayloads[j], Buffer.from(JSON.stringify(jsonPayloads[j]), 'utf8'));
      copies += 1;
      continue;
    }
    const stream = Math.floor(random() * streamCount);
    const payload: Record<string, string> = {
      up_id: `chaos-p${stream % 101}`,
      medication_name: `Med${Math.floor(stream / 101)}`,
      action: ACTIONS[Math.floor(random() * ACTIONS.length)]!,
      // The index in the milliseconds keeps every generated event distinct.
      event_time: new Date(BASE_TIME + Math.floor(random() * 500_000) * 60_000 + i).toISOString(),
    };
    if (random() < 0.3) payload.event_id = `chaos-${seed}-${i}`;
    const body = Buffer.from(JSON.stringify(payload), 'utf8');
    if (roll > 0.97) held.push({ body, payload });
    else pushValid(payload, body);
  }
  for (const { body, payload } of held) pushValid(payload, body);
  // Invalid JSON objects are rejected too; they are in jsonPayloads when they parse.
  for (const body of invalidBodies) {
    try {
      jsonPayloads.push(JSON.parse(body.toString('utf8')) as unknown);
    } catch {
      // not JSON: only in invalidBodies
    }
  }
  return { messages, jsonPayloads, invalidBodies, copies, late: held.length };
}
