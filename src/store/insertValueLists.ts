import type { Knex } from 'knex';
import { dialectOf } from './db';
import { ROWS_PER_INSERT } from './statementSizes';
import { chunk } from './streamKeys';

export type SqlValue = string | number | null;

/**
 * Inserts `rows` (each a value list in `columns` order), one multi-row
 * INSERT per ROWS_PER_INSERT rows. On MySQL the rows go to the driver as one
 * nested-array binding, which it expands into `(…), (…)` itself: knex then
 * handles one binding instead of one per value, which was about a tenth of a
 * replay's Node.js CPU. SQLite's driver does not expand arrays, so there each
 * value is bound on its own.
 */
export async function insertValueLists(
  trx: Knex.Transaction,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly SqlValue[])[],
): Promise<void> {
  const into = `insert into ?? (${columns.map(() => '??').join(', ')}) values `;
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const nested = dialectOf(trx) === 'mysql';
  for (const part of chunk(rows, ROWS_PER_INSERT)) {
    if (nested) {
      // knex's types know only flat array bindings; it passes a nested one to the driver as it is.
      await trx.raw(`${into}?`, [table, ...columns, part as unknown as Knex.Value]);
      continue;
    }
    await trx.raw(`${into}${Array<string>(part.length).fill(tuple).join(', ')}`, [
      table,
      ...columns,
      ...part.flat(),
    ]);
  }
}
