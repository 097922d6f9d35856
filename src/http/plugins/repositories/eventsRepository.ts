import { listPatientEvents } from '../../../store/eventsRepository';
import type { EventRow } from '../../../store/types';
import { repositoryPlugin } from './repositoryPlugin';

export interface EventsRepository {
  listForPatient(upId: string): Promise<EventRow[]>;
}

/** A patient's events, in stream order. */
export const eventsRepositoryPlugin = repositoryPlugin(
  'eventsRepository',
  ({ db }): EventsRepository => ({ listForPatient: (upId) => listPatientEvents(db, upId) }),
);
