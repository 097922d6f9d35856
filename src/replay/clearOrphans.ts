import type { Knex } from 'knex';
import { streamKeyOf, type StreamKey } from '../domain';
import { lockStreams } from '../store/lockStreams';
import { deleteOrphanedLists, refreshPatientPeriodLists } from '../store/patientPeriodLists';
import { loadStreamEvents } from '../store/streamEvents';
import { STREAMS_PER_STATEMENT } from '../store/statementSizes';
import { chunk, distinctStreamsInLockOrder, streamTuples } from '../store/streamKeys';
import { withWriteTransaction } from '../store/writeTransaction';
import { rewriteStreams } from './projectPage';
import { loadStoredProjections } from './storedProjections';

/**
 * Removes what a rebuild's pages cannot reach: the stored rows of streams
 * that have no event in the log (their periods, anomalies, cancellations and
 * bookkeeping row), then the lists of patients left without any event. After
 * an erasure nothing derived names the patient.
 */
export async function clearOrphans(
  db: Knex,
  orphans: readonly StreamKey[],
  orphanLists: readonly string[],
): Promise<void> {
  if (orphans.length === 0 && orphanLists.length === 0) return;
  await withWriteTransaction(db, async (trx) => {
    const locked = distinctStreamsInLockOrder(orphans);
    await lockStreams(trx, locked);
    // One that received its first events since it was found is a stream like any other now.
    const events = await loadStreamEvents(trx, locked);
    const still = locked.filter((s) => !events.has(streamKeyOf(s)));
    await rewriteStreams(trx, still, await loadStoredProjections(trx, still), new Map());
    await deleteStreamRows(trx, still);
    // A patient with events on other streams gets a list without these; the
    // lists of patients with no event left are deleted (the delete checks the log again).
    const patients = [...new Set(still.map((s) => s.upId))];
    await refreshPatientPeriodLists(trx, patients, { recount: true });
    await deleteOrphanedLists(trx, [...orphanLists, ...patients]);
  });
}

/** Deletes the bookkeeping rows of streams without events; a later writer creates its row again. */
async function deleteStreamRows(
  trx: Knex.Transaction,
  streams: readonly StreamKey[],
): Promise<void> {
  for (const part of chunk(streams, STREAMS_PER_STATEMENT))
    await trx('streams').whereIn(['up_id', 'medication_name'], streamTuples(part)).delete();
}
