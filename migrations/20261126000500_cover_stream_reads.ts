import type { Knex } from 'knex';

/**
 * Replaces the events' stream index with one that also holds what the
 * projector reads (action, dedupe key): replaying a stream then reads only
 * that index, whose entries sit together per stream, instead of one table
 * page per event (the log is clustered by arrival, so a stream's events are
 * scattered over it). Same number of indexes to maintain on every append.
 */
const COVERING = ['up_id', 'medication_name', 'event_time', 'action', 'dedupe_key'];
const PLAIN = ['up_id', 'medication_name', 'event_time'];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('events', (table) => {
    table.index(COVERING, 'events_stream_cover');
  });
  await knex.schema.alterTable('events', (table) => {
    table.dropIndex(PLAIN, 'events_stream_time');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('events', (table) => {
    table.index(PLAIN, 'events_stream_time');
  });
  await knex.schema.alterTable('events', (table) => {
    table.dropIndex(COVERING, 'events_stream_cover');
  });
}
