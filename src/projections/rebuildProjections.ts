import type { Knex } from 'knex';
import {
  projectStreamDetailed,
  type DetailedProjection,
  type OrderedEvent,
  type StreamKey,
} from '../domain';
import { lockStreams } from '../store/lockStreams';
import { applyProjectionChanges } from '../store/applyProjectionChanges';
import {
  deleteOrphanedLists,
  findOrphanedLists,
  findStaleLists,
  refreshPatientPeriodLists,
} from '../store/patientPeriodLists';
import { recordStreamCounts } from '../store/projectStoredStreams';
import { loadStreamEvents } from '../store/streamEvents';
import { distinctStreamsInLockOrder } from '../store/streamKeys';
import { dialectOf } from '../store/db';
import { withWriteTransaction } from '../store/writeTransaction';
import { forEachBounded } from './boundedConcurrency';
import { insertFreshRows } from './freshRows';
import { lockPageStreams, recordPageCounts } from './pageStreamRows';
import { loadPageEvents } from './pageEvents';
import { pagePeriods } from './pagePeriods';
import { loadPageProjections, loadStoredProjections, sameProjection } from './storedProjections';
import { countScope, orphanedStreams, streamPages, type StreamScope } from './streamPages';

/** rebuild: rewrite from the log; verify: compare only; dry-run: compare and report what a rebuild would change. */
export type RebuildMode = 'rebuild' | 'verify' | 'dry-run';

export interface RebuildProgress {
  streams: number;
  events: number;
  totalStreams: number;
  totalEvents: number;
}

export interface RebuildSummary {
  mode: RebuildMode;
  streams: number;
  events: number;
  periods: number;
  anomalies: number;
  /** Streams whose stored periods or anomalies differ from the log's projection (before a rebuild fixed them). */
  differing: StreamKey[];
  /**
   * Patients whose pre-rendered period list is not their stored periods
   * (verify and dry-run; a rebuild re-renders every list it passes), and
   * patients with a list but no event in the log (a rebuild removes those).
   */
  staleLists: string[];
  elapsedMs: number;
}

export interface RebuildOptions {
  mode: RebuildMode;
  scope?: StreamScope;
  /** Streams per page (and per transaction when rebuilding). */
  pageSize?: number;
  onProgress?(progress: RebuildProgress): void;
}

function project(eventsByStream: Map<string, OrderedEvent[]>, page: readonly StreamKey[]) {
  const projections = new Map<string, DetailedProjection>();
  const counts = new Map<string, number>();
  for (const stream of page) {
    const key = JSON.stringify([stream.upId, stream.medicationName]);
    const streamEvents = eventsByStream.get(key) ?? [];
    counts.set(key, streamEvents.length);
    projections.set(key, projectStreamDetailed(streamEvents));
  }
  const events = [...counts.values()].reduce((a, b) => a + b, 0);
  return { projections, counts, events };
}

const EMPTY: DetailedProjection = { periods: [], anomalies: [], cancellations: [] };

/** Makes the stored rows of `streams` (as read) those of the log's projection, touching only what differs. */
async function rewrite(
  trx: Knex.Transaction,
  streams: readonly StreamKey[],
  stored: ReadonlyMap<string, DetailedProjection>,
  projections: ReadonlyMap<string, DetailedProjection>,
): Promise<void> {
  const keyOf = (s: StreamKey) => JSON.stringify([s.upId, s.medicationName]);
  await applyProjectionChanges(
    trx,
    streams.map((stream) => ({
      stream,
      before: stored.get(keyOf(stream)) ?? EMPTY,
      after: projections.get(keyOf(stream)) ?? EMPTY,
    })),
  );
}

/** Two pages in flight: one is read and projected while the other is written. */
const PAGES_IN_FLIGHT = 2;

/**
 * Replays the log into the periods and anomalies tables, a page of streams
 * per transaction: a reader sees each stream's old or new periods, never a
 * half-written stream. Concurrent writers are safe: each page locks its
 * streams in the write path's lock order before it reads their events.
 */
export async function rebuildProjections(
  db: Knex,
  options: RebuildOptions,
): Promise<RebuildSummary> {
  const started = performance.now();
  const scope = options.scope ?? {};
  // Counting a large log takes seconds: only for whoever shows progress.
  const totals = options.onProgress ? await countScope(db, scope) : { streams: 0, events: 0 };
  // Looked for before the pages are written: the read model is then at its
  // smallest (empty, for a rebuild from scratch). Events are never deleted
  // and only streams with events gain stored rows, so no orphan appears meanwhile.
  const orphans = await orphanedStreams(db, scope);
  // A list belongs to a patient, not to a stream: only a patient-wide scope has all of it.
  const orphanLists =
    scope.medicationName === undefined ? await findOrphanedLists(db, scope.upId) : [];
  const summary: RebuildSummary = {
    mode: options.mode,
    streams: 0,
    events: 0,
    periods: 0,
    anomalies: 0,
    differing: [],
    staleLists: [],
    elapsedMs: 0,
  };
  const staleLists = new Set<string>();

  const handlePage = async (page: StreamKey[], trx: Knex.Transaction) => {
    const locked = options.mode === 'rebuild' ? await lockPageStreams(trx, page) : null;
    const { projections, counts, events } = project(await loadPageEvents(trx, page), page);
    const stored = await loadPageProjections(trx, page);
    const differing: StreamKey[] = [];
    let periods = 0;
    let anomalies = 0;
    for (const stream of page) {
      const key = JSON.stringify([stream.upId, stream.medicationName]);
      if (!sameProjection(projections.get(key), stored.get(key))) differing.push(stream);
      periods += projections.get(key)?.periods.length ?? 0;
      anomalies += projections.get(key)?.anomalies.length ?? 0;
    }
    if (locked) {
      await recordPageCounts(trx, locked, counts, Date.now());
      // Streams without any stored row need no comparison: their rows are only inserted.
      const isStored = (s: StreamKey) => stored.has(JSON.stringify([s.upId, s.medicationName]));
      await insertFreshRows(
        trx,
        page.filter((s) => !isStored(s)),
        projections,
      );
      await rewrite(trx, page.filter(isStored), stored, projections);
      // Every patient of the page, changed or not: a rebuild also repairs their lists.
      await refreshPatientPeriodLists(
        trx,
        page.map((s) => s.upId),
        { recount: true, known: pagePeriods(page, projections) },
      );
    } else {
      for (const upId of await findStaleLists(
        trx,
        page.map((s) => s.upId),
      ))
        staleLists.add(upId);
    }
    return { differing, periods, anomalies, events };
  };

  const pageResults: StreamKey[][] = [];
  let pageNumber = 0;
  const concurrency = dialectOf(db) === 'mysql' ? PAGES_IN_FLIGHT : 1;
  await forEachBounded(
    streamPages(db, scope, options.pageSize ?? 500),
    concurrency,
    async (page) => {
      const index = pageNumber++;
      const result =
        options.mode === 'rebuild'
          ? await withWriteTransaction(db, (trx) => handlePage(page, trx))
          : // A read transaction: the events and the stored rows come from one snapshot.
            await db.transaction((trx) => handlePage(page, trx));
      pageResults[index] = result.differing;
      summary.streams += page.length;
      summary.events += result.events;
      summary.periods += result.periods;
      summary.anomalies += result.anomalies;
      options.onProgress?.({
        streams: summary.streams,
        events: summary.events,
        totalStreams: totals.streams,
        totalEvents: totals.events,
      });
    },
  );
  // In key order, as the pages are, whichever finished first.
  for (const differing of pageResults) summary.differing.push(...(differing ?? []));

  summary.differing.push(...orphans);
  summary.staleLists = [...staleLists, ...orphanLists];
  if (options.mode === 'rebuild' && orphanLists.length > 0)
    await withWriteTransaction(db, (trx) => deleteOrphanedLists(trx, orphanLists));
  if (options.mode === 'rebuild' && orphans.length > 0) {
    await withWriteTransaction(db, async (trx) => {
      const locked = distinctStreamsInLockOrder(orphans);
      await lockStreams(trx, locked);
      // One that received its first events since it was found is a stream like any other now.
      const events = await loadStreamEvents(trx, locked);
      const still = locked.filter((s) => !events.has(JSON.stringify([s.upId, s.medicationName])));
      await rewrite(trx, still, await loadStoredProjections(trx, still), new Map());
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
  summary.elapsedMs = performance.now() - started;
  return summary;
}
