import type { Knex } from 'knex';
import { dialectOf } from './db';

export type SqlValue = string | number | null;

/**
 * One multi-row INSERT of `rows` (each a value list in `columns` order). On
 * MySQL the rows go to the driver as one nested-array binding, which it
 * expands into `(…), (…)` itself: knex then handles one binding instead of
 * one per value, which was about a tenth of a replay's Node.js CPU. SQLite's
 * driver does not expand arrays, so there each value is bound on its own.
 */
export async function insertValueLists(
  trx: Knex.Transaction,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly SqlValue[])[],
): Promise<void> {
  if (rows.length === 0) return;
  const into = `insert into ?? (${columns.map(() => '??').join(', ')}) values `;
  if (dialectOf(trx) === 'mysql') {
    // knex's types know only flat array bindings; it passes a nested one to the driver as it is.
    const nested = rows as unknown as Knex.Value;
    await trx.raw(`${into}?`, [table, ...columns, nested]);
    return;
  }
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  await trx.raw(`${into}${Array<string>(rows.length).fill(tuple).join(', ')}`, [
    table,
    ...columns,
    ...rows.flat(),
  ]);
}
