import type { Knex } from 'knex';
import type { StreamKey } from '../domain';
import { dialectOf } from './db';
import { chunk, streamTuples } from './streamKeys';

const STREAMS_PER_STATEMENT = 200;

/**
 * Locks the row of every stream (creating missing rows), in the order given
 * (callers pass distinctStreamsInLockOrder), so that two writers of the same
 * stream run one after the other.
 */
export async function lockStreams(
  trx: Knex.Transaction,
  streams: readonly StreamKey[],
): Promise<void> {
  const rows = (s: readonly StreamKey[]) =>
    s.map((k) => ({ up_id: k.upId, medication_name: k.medicationName, version: 0 }));
  for (const part of chunk(streams, STREAMS_PER_STATEMENT)) {
    if (dialectOf(trx) === 'sqlite') {
      // The first write takes SQLite's single writer lock for the whole transaction.
      await trx('streams').insert(rows(part)).onConflict(['up_id', 'medication_name']).ignore();
      continue;
    }
    // Lock what exists first, then insert what is missing: an INSERT IGNORE
    // would take shared locks that two writers then both try to upgrade.
    const locked: { up_id: string; medication_name: string }[] = await trx('streams')
      .select('up_id', 'medication_name')
      .whereIn(['up_id', 'medication_name'], streamTuples(part))
      .orderBy([{ column: 'up_id' }, { column: 'medication_name' }])
      .forUpdate();
    const present = new Set(locked.map((r) => JSON.stringify([r.up_id, r.medication_name])));
    const missing = part.filter((k) => !present.has(JSON.stringify([k.upId, k.medicationName])));
    // A concurrent creator of the same row makes this fail with a duplicate
    // key; the whole transaction is then retried and finds the row.
    if (missing.length > 0) await trx('streams').insert(rows(missing));
  }
}
