import { Type, type Static } from '@sinclair/typebox';
import { ACTIONS, ANOMALY_CODES } from '../../domain';
import { IsoTime, StringEnum } from './common';

export const Anomaly = Type.Object({
  code: StringEnum(ANOMALY_CODES),
  message: Type.String({ description: 'what the code means, for humans' }),
  medication_name: Type.String(),
  event: Type.Object({
    action: StringEnum(ACTIONS),
    event_time: IsoTime,
    dedupe_key: Type.String(),
  }),
});
export type Anomaly = Static<typeof Anomaly>;

export const PatientAnomaliesResponse = Type.Object(
  {
    up_id: Type.String(),
    anomalies: Type.Array(Anomaly),
  },
  { description: "The events of the patient's streams that the rules ignored or could not pair" },
);
export type PatientAnomaliesResponse = Static<typeof PatientAnomaliesResponse>;
