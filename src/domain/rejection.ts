/**
 * Why an incoming item was not accepted. Every code is documented in
 * docs/validation.md; clients and operators may match on them.
 */
export const REJECTION_REASONS = [
  'invalid_json',
  'invalid_utf8',
  'payload_too_large',
  'not_an_object',
  'missing_up_id',
  'invalid_up_id',
  'missing_medication_name',
  'invalid_medication_name',
  'missing_action',
  'invalid_action',
  'missing_event_time',
  'missing_time_offset',
  'invalid_event_time',
  'invalid_event_id',
  'field_too_long',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export interface Rejection {
  reason: RejectionReason;
  /** The offending field, when one field is to blame. */
  field: string | null;
  message: string;
}

export function rejection(
  reason: RejectionReason,
  field: string | null,
  message: string,
): Rejection {
  return { reason, field, message };
}

/** An item too large to store whole; the caller keeps its first `limit` bytes. */
export function payloadTooLarge(what: string, bytes: number, limit: number): Rejection {
  return rejection(
    'payload_too_large',
    null,
    `${what} is ${bytes} bytes, over the limit of ${limit}; ` +
      `the raw payload kept is its first ${limit} bytes`,
  );
}
