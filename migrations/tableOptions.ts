import type { Knex } from 'knex';

export function isMysql(knex: Knex): boolean {
  return String(knex.client.config.client).startsWith('mysql');
}

/**
 * The MySQL collation that compares text exactly as SQLite does: byte for
 * byte, and NO PAD, so that trailing spaces count ('dev-7' and 'dev-7 ' are
 * two event ids; utf8mb4_bin would call them equal). MariaDB and MySQL 8
 * name it differently.
 */
export async function exactCollation(knex: Knex): Promise<string | null> {
  if (!isMysql(knex)) return null;
  const [rows] = (await knex.raw('SELECT VERSION() AS version')) as [{ version: string }[]];
  return /mariadb/i.test(rows[0]?.version ?? '') ? 'utf8mb4_nopad_bin' : 'utf8mb4_0900_bin';
}

/** Applies exactCollation's result (null on SQLite, which compares exactly already). */
export function binaryCollation(collation: string | null, table: Knex.CreateTableBuilder): void {
  if (collation === null) return;
  table.engine('InnoDB');
  table.charset('utf8mb4');
  table.collate(collation);
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
