/** The four things a device can say about a medication. */
export const ACTIONS = ['start', 'stop', 'cancel_start', 'cancel_stop'] as const;
export type Action = (typeof ACTIONS)[number];

export function isAction(value: unknown): value is Action {
  return typeof value === 'string' && (ACTIONS as readonly string[]).includes(value);
}

/** Precedence among events at the same instant (semantics: "The stream"). */
export const ACTION_PRECEDENCE: Readonly<Record<Action, number>> = {
  start: 0,
  cancel_start: 1,
  stop: 2,
  cancel_stop: 3,
};

/** An event that passed validation: trimmed identifiers, time in UTC epoch milliseconds. */
export interface ValidEvent {
  upId: string;
  medicationName: string;
  action: Action;
  eventTime: number;
  eventId: string | null;
  dedupeKey: string;
}

/** Identifies a stream: all accepted events of one patient and one medication. */
export interface StreamKey {
  upId: string;
  medicationName: string;
}

/** A stream's key as one string, for maps and sets; every module keys streams with these two. */
export function streamKeyOf(stream: StreamKey): string {
  return streamKeyOfIds(stream.upId, stream.medicationName);
}

/** streamKeyOf for a database row's `up_id` and `medication_name`. */
export function streamKeyOfIds(upId: string, medicationName: string): string {
  // JSON keeps the pair unambiguous whatever characters the ids contain.
  return JSON.stringify([upId, medicationName]);
}
