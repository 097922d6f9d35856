import fp from 'fastify-plugin';
import type { Knex } from 'knex';
import { metricsWriteObserver } from '../../metrics';
import { listAnomalies } from '../../store/anomaliesRepository';
import { listPatientEvents } from '../../store/eventsRepository';
import { readPatientPeriodList, readPatientPeriodLists } from '../../store/periodListReads';
import type { PeriodFilter } from '../../domain';
import { listPeriods, listPeriodsAsOf } from '../../store/periodsRepository';
import { listRejectedEvents, type RejectedEventsPage } from '../../store/rejectedEventsRepository';
import type {
  AnomalyRow,
  EventRow,
  IncomingItem,
  PeriodRow,
  RejectedEventRow,
  WriteResult,
} from '../../store/types';
import { composeObservers, ingest, type WriteObserver } from '../../store/writePath';
import type {
  PatientPeriodsCache,
  PeriodListSource,
  PeriodsSnapshot,
} from '../../readCache/patientPeriodsCache';

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
export interface EventsRepository {
  listForPatient(upId: string): Promise<EventRow[]>;
}
export interface AnomaliesRepository {
  listForPatient(upId: string): Promise<AnomalyRow[]>;
}
export interface RejectedEventsRepository {
  list(page: RejectedEventsPage): Promise<RejectedEventRow[]>;
}
/** The write path as the HTTP API uses it: every item is recorded with source 'http'. */
export interface EventIngestion {
  ingest(items: readonly IncomingItem[]): Promise<WriteResult>;
}

export interface Repositories {
  periodsRepository: PeriodsRepository;
  eventsRepository: EventsRepository;
  anomaliesRepository: AnomaliesRepository;
  rejectedEventsRepository: RejectedEventsRepository;
  eventIngestion: EventIngestion;
}

declare module 'fastify' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merges the decorators into Fastify's type
  interface FastifyInstance extends Repositories {}
}

/**
 * The store functions bound to one database: routes never see knex. With a
 * read cache, a patient's whole rendered period list is cached (filtered
 * reads go to the periods table), and every committed write drops its
 * patients from the cache before the response goes out.
 */
function createRepositories(
  db: Knex,
  writeObserver?: WriteObserver,
  readCache?: PatientPeriodsCache,
): Repositories {
  const observer = readCache
    ? composeObservers(writeObserver, {
        onCommitted: (write) => readCache.invalidate(write.changedPatients),
      })
    : writeObserver;
  const lists: PeriodListSource = {
    one: (upId) => readPatientPeriodList(db, upId),
    many: (upIds) => readPatientPeriodLists(db, upIds),
  };
  const snapshot = readCache
    ? (upId: string) => readCache.get(upId, lists)
    : async (upId: string): Promise<PeriodsSnapshot> => ({ periodsJson: await lists.one(upId) });
  return {
    periodsRepository: {
      list: (upId, filter) => listPeriods(db, upId, filter),
      listAsOf: (upId, asOf, filter) => listPeriodsAsOf(db, upId, asOf, filter),
      snapshot,
    },
    eventsRepository: { listForPatient: (upId) => listPatientEvents(db, upId) },
    anomaliesRepository: { listForPatient: (upId) => listAnomalies(db, upId) },
    rejectedEventsRepository: { list: (page) => listRejectedEvents(db, page) },
    eventIngestion: {
      ingest: (items) => ingest(db, items, { source: 'http', observer }),
    },
  };
}

export interface RepositoriesPluginOptions {
  /** Test seam: replace some repositories (e.g. one that throws, to test the 500 path). */
  overrides?: Partial<Repositories>;
  readCache?: PatientPeriodsCache;
  writeObserver?: WriteObserver;
}

export const repositoriesPlugin = fp<RepositoriesPluginOptions>(
  (app, { overrides = {}, readCache, writeObserver }, done) => {
    const observer = composeObservers(metricsWriteObserver(app.metrics), writeObserver);
    const repositories = { ...createRepositories(app.db, observer, readCache), ...overrides };
    app.decorate('periodsRepository', repositories.periodsRepository);
    app.decorate('eventsRepository', repositories.eventsRepository);
    app.decorate('anomaliesRepository', repositories.anomaliesRepository);
    app.decorate('rejectedEventsRepository', repositories.rejectedEventsRepository);
    app.decorate('eventIngestion', repositories.eventIngestion);
    done();
  },
  { name: 'repositories', fastify: '5.x', dependencies: ['database', 'metrics'] },
);
