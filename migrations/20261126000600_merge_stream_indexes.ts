import type { Knex } from 'knex';

/**
 * Fewer indexes on the derived tables, so every row the projector writes
 * costs less: a derived row's instant is its causing event's instant (a
 * period starts at its start event, an anomaly or a cancellation sits at its
 * event), so the natural key (stream, event key) and the time index (stream,
 * instant) merge into one unique index (stream, instant, event key) that
 * serves both. The cancellations' index on target_key served no query.
 */
interface Merge {
  table: string;
  timeColumn: string;
  keyColumn: string;
  /** The unique natural-key index before, and the name the merged one takes. */
  uniqueIndex: string;
  timeIndex: string;
}

const MERGES: readonly Merge[] = [
  {
    table: 'periods',
    timeColumn: 'start_time',
    keyColumn: 'start_event_key',
    uniqueIndex: 'periods_stream',
    timeIndex: 'periods_stream_start',
  },
  {
    table: 'anomalies',
    timeColumn: 'event_time',
    keyColumn: 'event_key',
    uniqueIndex: 'anomalies_stream',
    timeIndex: 'anomalies_stream_time',
  },
  {
    table: 'stream_cancellations',
    timeColumn: 'cancel_time',
    keyColumn: 'cancel_key',
    uniqueIndex: 'stream_cancellations_by_key',
    timeIndex: 'stream_cancellations_by_cancel',
  },
];

const STREAM = ['up_id', 'medication_name'];

export async function up(knex: Knex): Promise<void> {
  for (const m of MERGES) {
    await knex.schema.alterTable(m.table, (table) => {
      table.dropUnique([...STREAM, m.keyColumn], m.uniqueIndex);
      table.dropIndex([...STREAM, m.timeColumn], m.timeIndex);
    });
    await knex.schema.alterTable(m.table, (table) => {
      table.unique([...STREAM, m.timeColumn, m.keyColumn], { indexName: m.timeIndex });
    });
  }
  await knex.schema.alterTable('stream_cancellations', (table) => {
    table.dropIndex([...STREAM, 'target_key'], 'stream_cancellations_by_target');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('stream_cancellations', (table) => {
    table.index([...STREAM, 'target_key'], 'stream_cancellations_by_target');
  });
  for (const m of MERGES) {
    await knex.schema.alterTable(m.table, (table) => {
      table.dropUnique([...STREAM, m.timeColumn, m.keyColumn], m.timeIndex);
    });
    await knex.schema.alterTable(m.table, (table) => {
      table.unique([...STREAM, m.keyColumn], { indexName: m.uniqueIndex });
      table.index([...STREAM, m.timeColumn], m.timeIndex);
    });
  }
}
