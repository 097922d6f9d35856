import type { Knex } from 'knex';
import { dialectOf } from './db';

/** The index each table has on (up_id, medication_name, …). */
const STREAM_INDEX = {
  events: 'events_stream_cover',
  // Keyed (clustered) by (up_id, medication_name, start_time, start_event_key).
  periods: 'PRIMARY',
  anomalies: 'anomalies_stream_time',
  stream_cancellations: 'stream_cancellations_by_cancel',
} as const;

export type StreamIndexedTable = keyof typeof STREAM_INDEX;

/**
 * `table`, for a query that selects whole streams with a (up_id,
 * medication_name) IN list. On MySQL/MariaDB the index is forced: while a
 * table grows from empty its statistics lag behind, and the optimizer then
 * scans the whole table for every such query (seen: 30 ms a query on a
 * table of 10,000 rows instead of well under 1 ms).
 */
export function fromStreamIndexed(
  db: Knex | Knex.Transaction,
  table: StreamIndexedTable,
  index: string = STREAM_INDEX[table],
): Knex.QueryBuilder {
  if (dialectOf(db) !== 'mysql') return db(table);
  return db.from(db.raw('?? FORCE INDEX (??)', [table, index]));
}
