import type { Knex } from 'knex';

export function isMysql(knex: Knex): boolean {
  return String(knex.client.config.client).startsWith('mysql');
}

/**
 * Every table compares text byte for byte (utf8mb4_bin) on MySQL so that
 * identifiers are case-sensitive there as they are on SQLite.
 */
export function binaryCollation(knex: Knex, table: Knex.CreateTableBuilder): void {
  if (!isMysql(knex)) return;
  table.engine('InnoDB');
  table.charset('utf8mb4');
  table.collate('utf8mb4_bin');
}

/** A column for raw bytes of any size up to the body limit. */
export function rawBytesColumn(
  knex: Knex,
  table: Knex.CreateTableBuilder,
  name: string,
): Knex.ColumnBuilder {
  return table.specificType(name, isMysql(knex) ? 'LONGBLOB' : 'BLOB');
}

/** Long JSON text. */
export function longTextColumn(
  knex: Knex,
  table: Knex.CreateTableBuilder,
  name: string,
): Knex.ColumnBuilder {
  return table.specificType(name, isMysql(knex) ? 'MEDIUMTEXT' : 'TEXT');
}
