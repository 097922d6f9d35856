import { comparePeriodRows, type Period, type PeriodStatus } from '../domain';
import type { ListedPeriod } from './periodListJson';

/**
 * What one write did to one stream's periods, as a replacement: every period
 * of the stream that starts at or after `from` (and the one that starts at
 * `alsoFrom`, if set) is gone, and `periods` are the stream's periods there
 * now. A stream replayed whole has `from` -Infinity and all its periods.
 */
export interface StreamPeriodPatch {
  medicationName: string;
  from: number;
  alsoFrom?: number;
  periods: readonly Period[];
}

/** The patches of one write, by patient. */
export type PeriodPatches = ReadonlyMap<string, readonly StreamPeriodPatch[]>;

/** Adds a stream's patch to `patches` (a write's, being collected). */
export function addPatch(
  patches: Map<string, StreamPeriodPatch[]>,
  upId: string,
  patch: StreamPeriodPatch,
): void {
  const ofPatient = patches.get(upId);
  if (ofPatient) ofPatient.push(patch);
  else patches.set(upId, [patch]);
}

interface StoredListEntry {
  medication_name: string;
  start_time: string;
  end_time: string | null;
  status: PeriodStatus;
}

const replaced = (period: ListedPeriod, patch: StreamPeriodPatch) =>
  period.medicationName === patch.medicationName &&
  (period.startTime >= patch.from || period.startTime === patch.alsoFrom);

/**
 * A patient's periods after `patches`, from the list stored before them (as
 * renderPeriodList wrote it), in the API's order. Exact because a stream's
 * periods never start together: medication and start time name one entry,
 * and the stored list holds the patient's periods as last committed (every
 * writer of periods re-renders the list under its lock before it commits).
 */
export function patchPeriodList(
  storedJson: string,
  patches: readonly StreamPeriodPatch[],
): ListedPeriod[] {
  const stored = (JSON.parse(storedJson) as StoredListEntry[]).map((e): ListedPeriod => ({
    medicationName: e.medication_name,
    startTime: Date.parse(e.start_time),
    endTime: e.end_time === null ? null : Date.parse(e.end_time),
    status: e.status,
  }));
  const kept = stored.filter((period) => !patches.some((patch) => replaced(period, patch)));
  for (const patch of patches)
    for (const p of patch.periods)
      kept.push({
        medicationName: patch.medicationName,
        startTime: p.startTime,
        endTime: p.endTime,
        status: p.status,
      });
  return kept.sort(comparePeriodRows);
}
