import type { Knex } from 'knex';
import { ingest, type WriteObserver } from '../store/writePath';
import type { WriteBatch } from './consumer';

/** The consumer's write: the project's one write path, tagged as coming from the broker. */
export function storeWrite(db: Knex, observer?: WriteObserver): WriteBatch {
  return (items) => ingest(db, items, { source: 'amqp', observer });
}
