import type { Knex } from 'knex';
import { binaryCollation, exactCollation, longTextColumn } from './tableOptions';

/**
 * Each patient's whole period list, pre-rendered as the JSON array that
 * GET /api/v1/medication_periods/:up_id answers with, kept current in the
 * transaction that changes the patient's periods. The usual read is then one
 * primary-key lookup of one row, however many periods the patient has.
 *
 * Created empty: a patient without a row is answered from the periods table,
 * so existing data stays right; the replay CLI fills the rows
 * (docs/operations.md).
 */
export async function up(knex: Knex): Promise<void> {
  const collation = await exactCollation(knex);
  await knex.schema.createTable('patient_period_lists', (table) => {
    binaryCollation(collation, table);
    table.string('up_id', 64).notNullable().primary();
    // NULL: the list is too long to keep rendered (see refreshPatientPeriodLists).
    longTextColumn(knex, table, 'periods_json').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('patient_period_lists');
}
