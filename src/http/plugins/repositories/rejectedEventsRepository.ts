import {
  listRejectedEvents,
  type RejectedEventsPage,
} from '../../../store/rejectedEventsRepository';
import type { RejectedEventRow } from '../../../store/types';
import { repositoryPlugin } from './repositoryPlugin';

export interface RejectedEventsRepository {
  list(page: RejectedEventsPage): Promise<RejectedEventRow[]>;
}

/** The rejected events, a page at a time. */
export const rejectedEventsRepositoryPlugin = repositoryPlugin(
  'rejectedEventsRepository',
  ({ db }): RejectedEventsRepository => ({ list: (page) => listRejectedEvents(db, page) }),
);
