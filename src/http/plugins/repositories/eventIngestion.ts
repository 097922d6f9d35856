import { metricsWriteObserver } from '../../../metrics';
import type { PatientPeriodsCache } from '../../../readCache/patientPeriodsCache';
import type { IncomingItem, WriteResult } from '../../../store/types';
import { composeObservers, ingest, type WriteObserver } from '../../../store/writePath';
import { repositoryPlugin } from './repositoryPlugin';

/** The write path as the HTTP API uses it: every item is recorded with source 'http'. */
export interface EventIngestion {
  ingest(items: readonly IncomingItem[]): Promise<WriteResult>;
}

export interface EventIngestionOptions {
  /** Dropped of every written patient before the response goes out. */
  readCache?: PatientPeriodsCache | undefined;
  /** Told about every committed write, besides metrics and the cache (e.g. change notices). */
  writeObserver?: WriteObserver | undefined;
}

/** The write path behind POST /api/v1/events, reporting each commit to metrics, the cache and the observer. */
export const eventIngestionPlugin = repositoryPlugin(
  'eventIngestion',
  (app, { readCache, writeObserver }: EventIngestionOptions): EventIngestion => {
    const observer = composeObservers(
      metricsWriteObserver(app.metrics),
      readCache?.invalidatedByWrites(),
      writeObserver,
    );
    return { ingest: (items) => ingest(app.db, items, { source: 'http', observer }) };
  },
  ['database', 'metrics'],
);
