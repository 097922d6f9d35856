import { FHIR_ID_PATTERN, medicationAdministrationId } from './resourceId';
import type { MedicationAdministration, Reference } from './types';

/** One materialized period, as the store returns it (times in epoch ms, UTC). */
export interface PeriodInput {
  upId: string;
  medicationName: string;
  startTime: number;
  endTime: number | null;
  status: 'active' | 'completed';
}

/**
 * The patient as a FHIR reference. `Patient/{up_id}` is a literal reference
 * only when up_id is a valid FHIR id; other ids (an underscore, a space, more
 * than 64 characters after encoding) would make a reference no FHIR server
 * could resolve, so they are given as a logical reference by identifier.
 */
export function patientReference(upId: string): Reference {
  return FHIR_ID_PATTERN.test(upId)
    ? { reference: `Patient/${upId}` }
    : { identifier: { value: upId }, display: upId };
}

/**
 * A period as a MedicationAdministration: an administration that is still
 * running is `in-progress` with an open effectivePeriod; a closed one is
 * `completed` with its end. The device events carry no dose, route or
 * performer, so those elements are absent rather than invented.
 */
export function toMedicationAdministration(period: PeriodInput): MedicationAdministration {
  const start = new Date(period.startTime).toISOString();
  const completed = period.status === 'completed' && period.endTime !== null;
  return {
    resourceType: 'MedicationAdministration',
    id: medicationAdministrationId(period),
    status: completed ? 'completed' : 'in-progress',
    medicationCodeableConcept: { text: period.medicationName },
    subject: patientReference(period.upId),
    effectivePeriod: completed
      ? { start, end: new Date(period.endTime as number).toISOString() }
      : { start },
  };
}
