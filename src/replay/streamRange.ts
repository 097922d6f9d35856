import type { Knex } from 'knex';
import { streamKeyOf, type StreamKey } from '../domain';

/**
 * The (up_id, medication_name) key range a page spans, bounds included.
 * Pages are contiguous in that order, so a range condition selects a page's
 * rows with one index range scan, which costs far less to parse and plan
 * than a row-value IN list of every stream.
 */
export interface StreamRange {
  first: StreamKey;
  last: StreamKey;
}

/** The range of a non-empty page given in (up_id, medication_name) order. */
export function rangeOf(page: readonly StreamKey[]): StreamRange {
  const first = page[0];
  const last = page[page.length - 1];
  if (first === undefined || last === undefined) throw new Error('an empty page has no range');
  return { first, last };
}

/** Restricts `query` to the rows of `table` whose stream lies within `range`. */
export function whereInRange<T extends Knex.QueryBuilder>(
  query: T,
  table: string,
  range: StreamRange,
): T {
  const up = `${table}.up_id`;
  const medication = `${table}.medication_name`;
  const { first, last } = range;
  // Spelled out rather than as row-value comparisons: both backends plan
  // this as one index range (checked with EXPLAIN on MariaDB).
  // knex's grouping callbacks return nothing: a returned builder is a thenable.
  query
    .where((w) => {
      w.where(up, '>', first.upId).orWhere((same) => {
        same.where(up, first.upId).where(medication, '>=', first.medicationName);
      });
    })
    .where((w) => {
      w.where(up, '<', last.upId).orWhere((same) => {
        same.where(up, last.upId).where(medication, '<=', last.medicationName);
      });
    });
  return query;
}

/** The keys of a page's streams: rows of a range that belong to no stream of the page are not its. */
export function keysOf(page: readonly StreamKey[]): Set<string> {
  return new Set(page.map(streamKeyOf));
}
