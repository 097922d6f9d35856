import type { Knex } from 'knex';
import { binaryCollation, exactCollation } from './tableOptions';

/**
 * Periods keyed by their natural key (stream, start instant, start event)
 * instead of a surrogate id: InnoDB clusters the rows by it, so a stream's
 * periods sit together, a rebuild appends in key order, and writing a period
 * checks and maintains one key instead of an id plus a unique index (an
 * upsert against a surrogate id first inserts a row under a fresh id, then
 * finds the duplicate and undoes it). The copy keeps every row.
 */
const COLUMNS = [
  'up_id',
  'medication_name',
  'start_time',
  'end_time',
  'status',
  'start_event_key',
  'end_event_key',
];
const NATURAL_KEY = ['up_id', 'medication_name', 'start_time', 'start_event_key'];

function periodColumns(table: Knex.CreateTableBuilder): void {
  table.string('up_id', 64).notNullable();
  table.string('medication_name', 128).notNullable();
  table.bigInteger('start_time').notNullable();
  table.bigInteger('end_time').nullable();
  table.string('status', 16).notNullable();
  table.string('start_event_key', 160).notNullable();
  table.string('end_event_key', 160).nullable();
}

/** Covers GET periods (see the read-model migration); SQLite index names are global, so made last. */
function patientIndex(table: Knex.AlterTableBuilder): void {
  table.index(
    ['up_id', 'start_time', 'medication_name', 'end_time', 'status'],
    'periods_patient_start',
  );
}

async function replacePeriods(
  knex: Knex,
  define: (table: Knex.CreateTableBuilder) => void,
): Promise<void> {
  const collation = await exactCollation(knex);
  await knex.schema.createTable('periods_next', (table) => {
    binaryCollation(collation, table);
    define(table);
  });
  await knex.raw('INSERT INTO ?? (??) SELECT ?? FROM ??', [
    'periods_next',
    COLUMNS,
    COLUMNS,
    'periods',
  ]);
  await knex.schema.dropTable('periods');
  await knex.schema.renameTable('periods_next', 'periods');
  await knex.schema.alterTable('periods', patientIndex);
}

export async function up(knex: Knex): Promise<void> {
  await replacePeriods(knex, (table) => {
    periodColumns(table);
    table.primary(NATURAL_KEY);
  });
}

export async function down(knex: Knex): Promise<void> {
  await replacePeriods(knex, (table) => {
    table.bigIncrements('id').primary();
    periodColumns(table);
    table.unique(NATURAL_KEY, { indexName: 'periods_stream_start' });
  });
}
