import { Type, type Static } from '@sinclair/typebox';
import { ACTIONS } from '../../domain';
import { IsoTime, Nullable, StringEnum } from './common';
import { SOURCES } from '../../store/types';

export { SOURCES };

export const Event = Type.Object({
  medication_name: Type.String(),
  action: StringEnum(ACTIONS),
  event_time: IsoTime,
  received_at: IsoTime,
  source: StringEnum(SOURCES),
  event_id: Nullable(Type.String()),
  // Lets an operator match an anomaly's event (which carries it) to the log.
  dedupe_key: Type.String(),
  seq: Type.Integer({ description: 'position in the append-only log' }),
});
export type Event = Static<typeof Event>;

export const PatientEventsResponse = Type.Object(
  {
    up_id: Type.String(),
    events: Type.Array(Event, { description: 'by medication name, each stream in stream order' }),
  },
  { description: "The patient's accepted events" },
);
export type PatientEventsResponse = Static<typeof PatientEventsResponse>;
