import type { PeriodFilter } from '../../../domain';
import type {
  PatientPeriodsCache,
  PeriodListSource,
  PeriodsSnapshot,
} from '../../../readCache/patientPeriodsCache';
import { readPatientPeriodList, readPatientPeriodLists } from '../../../store/periodListReads';
import { listPeriods, listPeriodsAsOf } from '../../../store/periodsRepository';
import type { PeriodRow } from '../../../store/types';
import { repositoryPlugin } from './repositoryPlugin';

export interface PeriodsRepository {
  list(upId: string, filter: PeriodFilter): Promise<PeriodRow[]>;
  listAsOf(upId: string, asOf: number, filter: PeriodFilter): Promise<PeriodRow[]>;
  /**
   * All of a patient's periods, rendered; with a read cache, the cached
   * snapshot itself, shared by every reader until a write invalidates it (so
   * what a reader derives from it is reused), else a fresh one.
   */
  snapshot(upId: string): Promise<PeriodsSnapshot>;
}

/**
 * Periods: with a read cache, a patient's whole rendered list is cached
 * (filtered and as_of reads go to the periods table and the log).
 */
export const periodsRepositoryPlugin = repositoryPlugin(
  'periodsRepository',
  ({ db }, { readCache }: { readCache?: PatientPeriodsCache | undefined }): PeriodsRepository => {
    const lists: PeriodListSource = {
      one: (upId) => readPatientPeriodList(db, upId),
      many: (upIds) => readPatientPeriodLists(db, upIds),
    };
    return {
      list: (upId, filter) => listPeriods(db, upId, filter),
      listAsOf: (upId, asOf, filter) => listPeriodsAsOf(db, upId, asOf, filter),
      snapshot: readCache
        ? (upId) => readCache.get(upId, lists)
        : async (upId) => ({ periodsJson: await lists.one(upId) }),
    };
  },
);
