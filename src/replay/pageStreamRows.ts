import type { Knex } from 'knex';
import { streamKeyOf, streamKeyOfIds, type StreamKey } from '../domain';
import { dialectOf } from '../store/db';
import { insertValueLists } from '../store/insertValueLists';
import { lockStreams } from '../store/lockStreams';
import { recordStreamCounts } from '../store/projectStoredStreams';
import { keysOf, rangeOf, whereInRange } from './streamRange';

/** A page's locked stream rows: which of its streams had one. */
export interface LockedPage {
  page: readonly StreamKey[];
  present: ReadonlySet<string>;
}

/**
 * Locks the stream rows of a page (given in lock order) before its events
 * are read. On MySQL one range scan locks the existing rows in index order,
 * which is the write path's lock order; rows still missing are created by
 * recordPageCounts, with their counts, by a plain INSERT: a writer that
 * created one meanwhile makes it fail with a duplicate key, and the page is
 * retried whole. (Rows in the range that are not the page's are locked too;
 * that is harmless, they are locked in the same order.) SQLite has one
 * writer at a time: lockStreams.
 */
export async function lockPageStreams(
  trx: Knex.Transaction,
  page: readonly StreamKey[],
): Promise<LockedPage> {
  if (page.length === 0) return { page, present: new Set() };
  if (dialectOf(trx) === 'sqlite') {
    await lockStreams(trx, page);
    return { page, present: keysOf(page) };
  }
  const rows: { up_id: string; medication_name: string }[] = await whereInRange(
    trx('streams').select('up_id', 'medication_name'),
    'streams',
    rangeOf(page),
  )
    .orderBy([{ column: 'up_id' }, { column: 'medication_name' }])
    .forUpdate();
  return { page, present: new Set(rows.map((r) => streamKeyOfIds(r.up_id, r.medication_name))) };
}

/** Records each stream's event count: creates the missing rows, bumps the version of the others. */
export async function recordPageCounts(
  trx: Knex.Transaction,
  locked: LockedPage,
  counts: ReadonlyMap<string, number>,
  projectedAt: number,
): Promise<void> {
  const countOf = (s: StreamKey) => counts.get(streamKeyOf(s)) ?? 0;
  const isPresent = (s: StreamKey) => locked.present.has(streamKeyOf(s));
  const missing = locked.page.filter((s) => !isPresent(s));
  await insertValueLists(
    trx,
    'streams',
    ['up_id', 'medication_name', 'version', 'event_count', 'projected_at'],
    missing.map((s) => [s.upId, s.medicationName, 1, countOf(s), projectedAt]),
  );
  await recordStreamCounts(
    trx,
    locked.page.filter(isPresent).map((stream) => ({ stream, eventCount: countOf(stream) })),
    projectedAt,
  );
}
