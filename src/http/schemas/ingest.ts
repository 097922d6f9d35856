import { Type, type Static } from '@sinclair/typebox';
import { REJECTION_REASONS } from '../../domain';
import { Nullable, StringEnum } from './common';

export const IngestRejection = Type.Object({
  index: Type.Integer({ description: "the item's position in the array (0 for a single object)" }),
  reason: StringEnum(REJECTION_REASONS),
  message: Type.String(),
  field: Nullable(Type.String({ description: 'the offending field, when one field is to blame' })),
});
export type IngestRejection = Static<typeof IngestRejection>;

export const IngestResponse = Type.Object({
  accepted: Type.Integer(),
  duplicates: Type.Integer(),
  rejected: Type.Array(IngestRejection),
});
export type IngestResponse = Static<typeof IngestResponse>;
