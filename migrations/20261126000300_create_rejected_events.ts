import type { Knex } from 'knex';
import { refuseToDropRecords } from './rollbackGuard';
import { binaryCollation, exactCollation, rawBytesColumn } from './tableOptions';

export async function up(knex: Knex): Promise<void> {
  const collation = await exactCollation(knex);
  await knex.schema.createTable('rejected_events', (table) => {
    binaryCollation(collation, table);
    table.bigIncrements('id').primary();
    table.bigInteger('received_at').notNullable();
    table.string('source', 16).notNullable();
    table.string('reason', 40).notNullable();
    table.string('field', 40).nullable();
    table.string('message', 500).notNullable();
    // The bytes as received: they may be invalid UTF-8, invalid JSON or not an object.
    rawBytesColumn(knex, table, 'raw_payload').notNullable();
    table.index(['source', 'id'], 'rejected_events_source');
    table.index(['reason', 'id'], 'rejected_events_reason');
  });
}

export async function down(knex: Knex): Promise<void> {
  await refuseToDropRecords(knex, 'rejected_events', 'rejected events');
  await knex.schema.dropTableIfExists('rejected_events');
}
