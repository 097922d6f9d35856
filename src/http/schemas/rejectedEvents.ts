import { Type, type Static } from '@sinclair/typebox';
import { REJECTION_REASONS } from '../../domain';
import { IsoTime, Nullable, StringEnum } from './common';
import { SOURCES } from './events';

export const REJECTED_EVENTS_DEFAULT_LIMIT = 50;
export const REJECTED_EVENTS_MAX_LIMIT = 500;

export const RejectedEvent = Type.Object({
  id: Type.Integer(),
  received_at: IsoTime,
  source: StringEnum(SOURCES),
  reason: Type.String(),
  field: Nullable(Type.String()),
  message: Type.String(),
  raw_payload: Type.String({
    description: 'the bytes as received, decoded as UTF-8 (U+FFFD where they are not)',
  }),
  raw_payload_base64: Type.Optional(
    Type.String({ description: 'the exact bytes; only when they are not valid UTF-8' }),
  ),
});
export type RejectedEvent = Static<typeof RejectedEvent>;

export const RejectedEventsResponse = Type.Object(
  {
    rejected_events: Type.Array(RejectedEvent, { description: 'newest first' }),
    next_before: Nullable(
      Type.Integer({ description: 'pass as `before` for the next page; null on the last page' }),
    ),
  },
  { description: 'One page of rejected events' },
);
export type RejectedEventsResponse = Static<typeof RejectedEventsResponse>;

export const RejectedEventsQuery = Type.Object(
  {
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: REJECTED_EVENTS_MAX_LIMIT,
        default: REJECTED_EVENTS_DEFAULT_LIMIT,
      }),
    ),
    before: Type.Optional(Type.Integer({ minimum: 1, description: 'only ids below this one' })),
    source: Type.Optional(StringEnum(SOURCES)),
    reason: Type.Optional(StringEnum(REJECTION_REASONS)),
  },
  { additionalProperties: false },
);
export type RejectedEventsQuery = Static<typeof RejectedEventsQuery>;
