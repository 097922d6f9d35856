import type { Knex } from 'knex';
import { dialectOf } from './db';

/**
 * How much one SQL statement carries. Fewer, larger statements cost less per
 * event (each round trip and each statement has a fixed cost); the bounds
 * keep every statement well under SQLite's 32,766 bound parameters and
 * MariaDB's default 16 MiB packet (`max_allowed_packet`; MySQL 8's is 64 MiB).
 * A statement past the packet limit is not refused with an error: the server
 * drops the connection, which looks like an outage to the write path.
 */
export const STREAMS_PER_STATEMENT = 400;
export const KEYS_PER_STATEMENT = 300;
export const ROWS_PER_INSERT = 1000;
/**
 * knex writes a multi-row INSERT on SQLite as one compound SELECT (`select …
 * union all select …`), which SQLite refuses past 500 terms
 * (SQLITE_MAX_COMPOUND_SELECT): its query-builder INSERTs take this many rows.
 */
export const SQLITE_ROWS_PER_INSERT = 500;

/** Rows per query-builder INSERT on this database (raw VALUES lists are not bound by it). */
export function rowsPerInsert(db: Knex): number {
  return dialectOf(db) === 'sqlite' ? SQLITE_ROWS_PER_INSERT : ROWS_PER_INSERT;
}
/** Rejected items may carry up to a body's worth of raw bytes each. */
export const REJECTIONS_PER_INSERT = 100;
/**
 * Raw payload bytes one INSERT carries, whatever its row count: unknown extra
 * fields are kept, so a few hundred valid events can be megabytes. Escaped
 * text (at most twice its bytes) or hex-encoded bytes (twice) then stays
 * under 4 MiB. A single row larger than this goes in a statement of its own.
 */
export const PAYLOAD_BYTES_PER_INSERT = 2 * 1024 * 1024;

/**
 * The largest item the log stores, as JSON text or raw bytes: one row in one
 * statement, escaped or hex-encoded (twice its size), stays within MariaDB's
 * default 16 MiB packet and the 16 MiB raw_payload column. Larger items are
 * rejected as payload_too_large, holding their first this-many bytes.
 */
export const MAX_STORED_ITEM_BYTES = 4 * 1024 * 1024;

/** Splits `items` into runs of at most `maxItems` whose `sizeOf` adds up to at most `maxBytes` (or a single item). */
export function chunkBySize<T>(
  items: readonly T[],
  maxItems: number,
  maxBytes: number,
  sizeOf: (item: T) => number,
): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (current.length > 0 && (current.length === maxItems || bytes + size > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
