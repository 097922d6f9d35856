import type { Knex } from 'knex';
import type { EventLogRow } from '../support/eventRows';

/**
 * The baseline writer: the same rows the write path would append, inserted
 * with plain knex multi-row INSERTs (duplicates ignored by the unique
 * dedupe key), `rowsPerInsert` rows per statement, each statement its own
 * autocommit transaction. No locking, no projection.
 */
export async function bulkInsertRows(
  db: Knex,
  rows: readonly EventLogRow[],
  rowsPerInsert = 250,
): Promise<{ elapsedMs: number }> {
  const started = performance.now();
  for (let i = 0; i < rows.length; i += rowsPerInsert) {
    await db('events')
      .insert(rows.slice(i, i + rowsPerInsert))
      .onConflict('dedupe_key')
      .ignore();
  }
  return { elapsedMs: performance.now() - started };
}
