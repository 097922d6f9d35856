import {
  comparePeriodRows,
  streamKeyOfIds,
  type DetailedProjection,
  type StreamKey,
} from '../domain';
import type { KnownPeriods } from '../store/patientPeriodLists';
import type { ListedPeriod } from '../periodLists/periodListJson';

/**
 * What a rebuilt page knows of its patients' periods: exactly its streams'
 * projections, which it has just written. A patient's list can be rendered
 * from them, without reading the periods back, when every stream the
 * patient has is one of the page's. That is checked against the stream rows
 * once the patient's list row is locked: a writer that gave the patient a
 * stream outside the page and committed first shows up there (and the
 * patient is then read from the periods table); one that commits later
 * renders the list again after this page, behind the same lock. Patients at
 * a page's edges, and those of a narrowed rebuild, usually have streams
 * elsewhere and are read as before.
 */
export function pagePeriods(
  page: readonly StreamKey[],
  projections: ReadonlyMap<string, DetailedProjection>,
): KnownPeriods {
  const byPatient = new Map<string, { streams: number; periods: ListedPeriod[] }>();
  for (const { upId, medicationName } of page) {
    let patient = byPatient.get(upId);
    if (patient === undefined) byPatient.set(upId, (patient = { streams: 0, periods: [] }));
    patient.streams += 1;
    for (const p of projections.get(streamKeyOfIds(upId, medicationName))?.periods ?? [])
      patient.periods.push({
        medicationName,
        startTime: p.startTime,
        endTime: p.endTime,
        status: p.status,
      });
  }
  return async (trx, patients) => {
    const counts: { up_id: string; n: number | string }[] = await trx('streams')
      .select('up_id')
      .count({ n: '*' })
      .whereIn('up_id', patients)
      .groupBy('up_id');
    const known = new Map<string, readonly ListedPeriod[]>();
    for (const { up_id: upId, n } of counts) {
      const patient = byPatient.get(upId);
      if (patient !== undefined && Number(n) === patient.streams)
        known.set(upId, patient.periods.sort(comparePeriodRows));
    }
    return known;
  };
}
