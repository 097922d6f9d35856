import { Type, type Static } from '@sinclair/typebox';
import { PERIOD_STATUSES } from '../../domain';
import { IsoInstantParam, IsoTime, Nullable, StringEnum } from './common';

export { PERIOD_STATUSES };

export const Period = Type.Object({
  medication_name: Type.String(),
  start_time: IsoTime,
  end_time: Nullable(IsoTime),
  status: StringEnum(PERIOD_STATUSES),
});
export type Period = Static<typeof Period>;

export const PeriodsResponse = Type.Object(
  {
    up_id: Type.String(),
    periods: Type.Array(Period, { description: 'sorted by start_time, then medication_name' }),
  },
  { description: "The patient's periods (an id with no events has none)" },
);
export type PeriodsResponse = Static<typeof PeriodsResponse>;

export const PeriodsQuery = Type.Object(
  {
    medication: Type.Optional(Type.String({ description: 'exact medication name (trimmed)' })),
    status: Type.Optional(StringEnum(PERIOD_STATUSES)),
    from: Type.Optional(IsoInstantParam),
    to: Type.Optional(IsoInstantParam),
    as_of: Type.Optional(IsoInstantParam),
  },
  // Unknown parameters are a 400: a mistyped `satus` must not silently return everything.
  { additionalProperties: false },
);
export type PeriodsQuery = Static<typeof PeriodsQuery>;
