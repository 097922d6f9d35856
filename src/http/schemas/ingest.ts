import { Type, type Static } from '@sinclair/typebox';
import { ACTIONS, REJECTION_REASONS } from '../../domain';
import { Nullable, StringEnum } from './common';

export const IngestRejection = Type.Object({
  index: Type.Integer({ description: "the item's position in the array (0 for a single object)" }),
  reason: StringEnum(REJECTION_REASONS),
  message: Type.String(),
  field: Nullable(Type.String({ description: 'the offending field, when one field is to blame' })),
});
export type IngestRejection = Static<typeof IngestRejection>;

export const IngestResponse = Type.Object(
  {
    accepted: Type.Integer(),
    duplicates: Type.Integer(),
    rejected: Type.Array(IngestRejection),
  },
  { description: "Committed: what became of each item, whatever each item's fate" },
);
export type IngestResponse = Static<typeof IngestResponse>;

/**
 * What a device sends. Documentation only (see the events route): the items
 * are validated one by one by the domain, so that a bad item is recorded as a
 * rejected event with a reason instead of failing the whole request.
 */
export const DeviceEvent = Type.Object(
  {
    up_id: Type.String({ description: 'patient id, 1–64 characters (trimmed)' }),
    medication_name: Type.String({ description: '1–128 characters (trimmed)' }),
    action: StringEnum(ACTIONS),
    event_time: Type.String({
      description: 'ISO 8601 date-time with a UTC offset (Z, +hh:mm, +hhmm or +hh)',
      examples: ['2021-03-24T18:23:56Z'],
    }),
    event_id: Type.Optional(
      Type.String({ description: "the device's id for the event, up to 128 characters" }),
    ),
  },
  { description: 'One device event' },
);

export const IngestBody = Type.Union([DeviceEvent, Type.Array(DeviceEvent)], {
  description:
    'One event object, or an array of them (the device file format). Each item is ' +
    'validated on its own: an invalid one is rejected with a reason, not the request.',
});
