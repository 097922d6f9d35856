import type { Knex } from 'knex';
import { binaryCollation, exactCollation } from './tableOptions';

/**
 * Which cancel removed which start or stop (phase 1 of the projection), and
 * how many events each stream holds: what lets the write path re-project a
 * long stream from the point a new event lands instead of from its start.
 * Derived data, like periods: `npm run replay` rebuilds it.
 */
export async function up(knex: Knex): Promise<void> {
  const collation = await exactCollation(knex);
  await knex.schema.createTable('stream_cancellations', (table) => {
    binaryCollation(collation, table);
    table.bigIncrements('id').primary();
    table.string('up_id', 64).notNullable();
    table.string('medication_name', 128).notNullable();
    table.string('cancel_key', 160).notNullable();
    table.bigInteger('cancel_time').notNullable();
    table.string('target_key', 160).notNullable();
    table.bigInteger('target_time').notNullable();
    table.string('target_action', 16).notNullable();
    table.index(['up_id', 'medication_name', 'cancel_time'], 'stream_cancellations_by_cancel');
    table.index(['up_id', 'medication_name', 'target_key'], 'stream_cancellations_by_target');
    table.index(['up_id', 'medication_name', 'target_time'], 'stream_cancellations_by_target_time');
    // A cancel removes at most one start or stop.
    table.unique(['up_id', 'medication_name', 'cancel_key'], {
      indexName: 'stream_cancellations_by_key',
    });
  });
  // 0 until a full projection counts a stream's events: existing streams are
  // then projected whole once, which also fills in their cancellations.
  await knex.schema.alterTable('streams', (table) => {
    table.integer('event_count').notNullable().defaultTo(0);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('streams', (table) => {
    table.dropColumn('event_count');
  });
  await knex.schema.dropTable('stream_cancellations');
}
