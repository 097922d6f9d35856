import type { Knex } from 'knex';
import type { StreamKey } from '../domain';
import { lockStreams } from '../store/lockStreams';
import { deleteOrphanedLists, refreshPatientPeriodLists } from '../store/patientPeriodLists';
import { recordStreamCounts } from '../store/projectStoredStreams';
import { loadStreamEvents } from '../store/streamEvents';
import { distinctStreamsInLockOrder } from '../store/streamKeys';
import { withWriteTransaction } from '../store/writeTransaction';
import { rewriteStreams } from './projectPage';
import { loadStoredProjections } from './storedProjections';

/**
 * Removes the stored rows of streams that have none in the log, and the
 * lists of patients without events: what a rebuild's pages cannot reach.
 */
export async function clearOrphans(
  db: Knex,
  orphans: readonly StreamKey[],
  orphanLists: readonly string[],
): Promise<void> {
  if (orphanLists.length > 0)
    await withWriteTransaction(db, (trx) => deleteOrphanedLists(trx, orphanLists));
  if (orphans.length === 0) return;
  await withWriteTransaction(db, async (trx) => {
    const locked = distinctStreamsInLockOrder(orphans);
    await lockStreams(trx, locked);
    // One that received its first events since it was found is a stream like any other now.
    const events = await loadStreamEvents(trx, locked);
    const still = locked.filter((s) => !events.has(JSON.stringify([s.upId, s.medicationName])));
    await rewriteStreams(trx, still, await loadStoredProjections(trx, still), new Map());
    await refreshPatientPeriodLists(
      trx,
      still.map((s) => s.upId),
      { recount: true },
    );
    await recordStreamCounts(
      trx,
      still.map((stream) => ({ stream, eventCount: 0 })),
      Date.now(),
    );
  });
}
