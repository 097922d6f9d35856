import type { Knex } from 'knex';
import type { StreamKey } from '../domain';
import { fromStreamIndexed, type StreamIndexedTable } from './streamIndex';
import { chunk, streamTuples } from './streamKeys';
import { IDS_PER_DELETE, ROWS_PER_INSERT, STREAMS_PER_STATEMENT } from './statementSizes';

/**
 * Makes `table`'s rows of `streams` equal to `wanted`, touching only what
 * differs: a new event usually changes one or two rows of a stream, and
 * deleting and re-inserting all of them costs in proportion to the stream's
 * history (in InnoDB every deleted row also updates each secondary index).
 * Rows compare by the given columns; `id` is the table's surrogate key.
 */
export async function replaceRowsByDiff(
  trx: Knex.Transaction,
  table: StreamIndexedTable,
  columns: readonly string[],
  streams: readonly StreamKey[],
  wanted: readonly Record<string, unknown>[],
): Promise<void> {
  const canonical = (row: Record<string, unknown>) =>
    JSON.stringify(
      columns.map((c) => (row[c] === null || row[c] === undefined ? null : String(row[c]))),
    );

  const toInsert = new Map<string, Record<string, unknown>[]>();
  for (const row of wanted) {
    const key = canonical(row);
    toInsert.set(key, [...(toInsert.get(key) ?? []), row]);
  }
  const staleIds: (number | string)[] = [];
  for (const part of chunk(streams, STREAMS_PER_STATEMENT)) {
    const existing: Record<string, unknown>[] = await fromStreamIndexed(trx, table)
      .select('id', ...columns)
      .whereIn(['up_id', 'medication_name'], streamTuples(part));
    for (const row of existing) {
      const same = toInsert.get(canonical(row));
      if (same && same.length > 0) same.pop();
      else staleIds.push(row.id as number | string);
    }
  }
  for (const ids of chunk(staleIds, IDS_PER_DELETE)) await trx(table).whereIn('id', ids).delete();
  const rows = [...toInsert.values()].flat();
  for (const part of chunk(rows, ROWS_PER_INSERT)) await trx(table).insert(part);
}
