import { listAnomalies } from '../../../store/anomaliesRepository';
import type { AnomalyRow } from '../../../store/types';
import { repositoryPlugin } from './repositoryPlugin';

export interface AnomaliesRepository {
  listForPatient(upId: string): Promise<AnomalyRow[]>;
}

/** A patient's anomalies. */
export const anomaliesRepositoryPlugin = repositoryPlugin(
  'anomaliesRepository',
  ({ db }): AnomaliesRepository => ({ listForPatient: (upId) => listAnomalies(db, upId) }),
);
