import type { Knex } from 'knex';

/**
 * Refuses a rollback that would drop rows nothing can rebuild: the event log
 * and the rejected events are records, not projections. On a usual install
 * every migration is in one batch, so `migrate:rollback` would otherwise
 * drop them with the rest. Dropping them on purpose is a manual DROP TABLE.
 */
export async function refuseToDropRecords(knex: Knex, table: string, what: string): Promise<void> {
  if (!(await knex.schema.hasTable(table))) return;
  const [row] = await knex(table).count({ n: '*' });
  const count = Number(row?.n ?? 0);
  if (count > 0) {
    throw new Error(
      `refusing to roll back: ${table} holds ${count} ${what}, which no replay can rebuild; ` +
        `to drop them anyway, DROP TABLE ${table} by hand first`,
    );
  }
}
