import type { Knex } from 'knex';
import { streamKeyOf, streamKeyOfIds, type StreamKey } from '../domain';
import { dialectOf } from './db';
import { chunk, streamTuples } from './streamKeys';
import { STREAMS_PER_STATEMENT } from './statementSizes';

interface StreamRow {
  up_id: string;
  medication_name: string;
  event_count: number | string;
}

/**
 * Locks the row of every stream (creating missing rows), in the order given
 * (callers pass distinctStreamsInLockOrder), so that two writers of the same
 * stream run one after the other. Returns each stream's event count as
 * recorded by its last projection (0 for a new stream).
 */
export async function lockStreams(
  trx: Knex.Transaction,
  streams: readonly StreamKey[],
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const rows = (s: readonly StreamKey[]) =>
    s.map((k) => ({ up_id: k.upId, medication_name: k.medicationName, version: 0 }));
  const select = (part: readonly StreamKey[]) =>
    trx<StreamRow>('streams')
      .select('up_id', 'medication_name', 'event_count')
      .whereIn(['up_id', 'medication_name'], streamTuples(part))
      .orderBy([{ column: 'up_id' }, { column: 'medication_name' }]);
  for (const part of chunk(streams, STREAMS_PER_STATEMENT)) {
    let locked: StreamRow[];
    if (dialectOf(trx) === 'sqlite') {
      // The first write takes SQLite's single writer lock for the whole transaction.
      await trx('streams').insert(rows(part)).onConflict(['up_id', 'medication_name']).ignore();
      locked = await select(part);
    } else {
      // Lock what exists first, then insert what is missing: an INSERT IGNORE
      // would take shared locks that two writers then both try to upgrade.
      locked = await select(part).forUpdate();
      const present = new Set(locked.map((r) => streamKeyOfIds(r.up_id, r.medication_name)));
      const missing = part.filter((k) => !present.has(streamKeyOf(k)));
      // A concurrent creator of the same row makes this fail with a duplicate
      // key; the whole transaction is then retried and finds the row.
      if (missing.length > 0) await trx('streams').insert(rows(missing));
    }
    for (const r of locked)
      counts.set(streamKeyOfIds(r.up_id, r.medication_name), Number(r.event_count));
  }
  return counts;
}
