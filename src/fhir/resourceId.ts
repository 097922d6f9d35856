import { createHash } from 'node:crypto';

/** Any FHIR id: what a client may send us in a URL, and what we must produce. */
export const FHIR_ID_PATTERN = /^[A-Za-z0-9\-.]{1,64}$/;

/**
 * The logical id of the MedicationAdministration for one period: 32 hex
 * characters of SHA-256 over (up_id, medication, start instant).
 *
 * A period is identified by its stream and its start time: within a stream
 * periods never overlap and no two start at the same instant (every start at
 * an instant sorts before every stop at it), so the triple is unique. It is
 * also stable: the periods are a pure function of the stream's event set, so
 * every request and every replay yields the same id, and a late event that
 * closes an active period keeps its id (its start does not move). The start
 * event's dedupe key would be less stable: a second start at the same instant
 * with a smaller key becomes the opening event without changing the period.
 * Lower-case hex, because FHIR ids compare case-insensitively.
 */
export function medicationAdministrationId(period: {
  upId: string;
  medicationName: string;
  startTime: number;
}): string {
  const canonical = JSON.stringify([
    period.upId,
    period.medicationName,
    new Date(period.startTime).toISOString(),
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex').slice(0, 32);
}
