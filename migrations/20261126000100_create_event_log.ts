import type { Knex } from 'knex';
import { refuseToDropRecords } from './rollbackGuard';
import { binaryCollation, exactCollation, isMysql, longTextColumn } from './tableOptions';

const UPDATE_REFUSED = 'events is an append-only log: UPDATE is not allowed';
const DELETE_REFUSED = 'events is an append-only log: DELETE is not allowed';

export async function up(knex: Knex): Promise<void> {
  const collation = await exactCollation(knex);
  await knex.schema.createTable('events', (table) => {
    binaryCollation(collation, table);
    table.bigIncrements('seq').primary();
    table.string('dedupe_key', 160).notNullable().unique('events_dedupe_key_unique');
    table.string('up_id', 64).notNullable();
    table.string('medication_name', 128).notNullable();
    table.string('action', 16).notNullable();
    // Instants are UTC epoch milliseconds: exact, and identical on both backends.
    table.bigInteger('event_time').notNullable();
    table.bigInteger('received_at').notNullable();
    table.string('source', 16).notNullable();
    table.string('event_id', 128).nullable();
    longTextColumn(knex, table, 'raw_payload').notNullable();
    table.index(['up_id', 'medication_name', 'event_time'], 'events_stream_time');
  });

  // The log is immutable at the database level, whoever connects.
  if (isMysql(knex)) {
    await knex.raw(
      `CREATE TRIGGER events_no_update BEFORE UPDATE ON events FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '${UPDATE_REFUSED}'`,
    );
    await knex.raw(
      `CREATE TRIGGER events_no_delete BEFORE DELETE ON events FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '${DELETE_REFUSED}'`,
    );
  } else {
    await knex.raw(
      `CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, '${UPDATE_REFUSED}'); END`,
    );
    await knex.raw(
      `CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, '${DELETE_REFUSED}'); END`,
    );
  }
}

export async function down(knex: Knex): Promise<void> {
  await refuseToDropRecords(knex, 'events', 'events');
  await knex.raw('DROP TRIGGER IF EXISTS events_no_update');
  await knex.raw('DROP TRIGGER IF EXISTS events_no_delete');
  await knex.schema.dropTableIfExists('events');
}
