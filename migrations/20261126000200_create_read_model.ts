import type { Knex } from 'knex';
import { binaryCollation, exactCollation } from './tableOptions';

export async function up(knex: Knex): Promise<void> {
  const collation = await exactCollation(knex);
  // One row per stream: what writers lock (in a fixed order) before they
  // append to and re-project that stream.
  await knex.schema.createTable('streams', (table) => {
    binaryCollation(collation, table);
    table.string('up_id', 64).notNullable();
    table.string('medication_name', 128).notNullable();
    table.integer('version').notNullable().defaultTo(0);
    table.bigInteger('projected_at').nullable();
    table.primary(['up_id', 'medication_name']);
  });

  await knex.schema.createTable('periods', (table) => {
    binaryCollation(collation, table);
    table.bigIncrements('id').primary();
    table.string('up_id', 64).notNullable();
    table.string('medication_name', 128).notNullable();
    table.bigInteger('start_time').notNullable();
    table.bigInteger('end_time').nullable();
    table.string('status', 16).notNullable();
    table.string('start_event_key', 160).notNullable();
    table.string('end_event_key', 160).nullable();
    // Covers the read path (GET periods): one index range scan in the API's
    // order, no lookups into the table.
    table.index(
      ['up_id', 'start_time', 'medication_name', 'end_time', 'status'],
      'periods_patient_start',
    );
    // A start opens at most one period: the row's natural key, and the stream's index.
    table.unique(['up_id', 'medication_name', 'start_event_key'], { indexName: 'periods_stream' });
    // Where a re-projection of a long stream starts: the period open at an instant.
    table.index(['up_id', 'medication_name', 'start_time'], 'periods_stream_start');
  });

  await knex.schema.createTable('anomalies', (table) => {
    binaryCollation(collation, table);
    table.bigIncrements('id').primary();
    table.string('up_id', 64).notNullable();
    table.string('medication_name', 128).notNullable();
    table.string('code', 32).notNullable();
    table.string('event_key', 160).notNullable();
    table.bigInteger('event_time').notNullable();
    table.string('action', 16).notNullable();
    // An event causes at most one anomaly.
    table.unique(['up_id', 'medication_name', 'event_key'], { indexName: 'anomalies_stream' });
    table.index(['up_id', 'medication_name', 'event_time'], 'anomalies_stream_time');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('anomalies');
  await knex.schema.dropTable('periods');
  await knex.schema.dropTable('streams');
}
