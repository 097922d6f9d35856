import type { Knex } from 'knex';
import type { StreamKey } from '../domain';
import { findOrphanedLists } from '../store/patientPeriodLists';
import { dialectOf } from '../store/db';
import { withWriteTransaction } from '../store/writeTransaction';
import { forEachBounded } from './boundedConcurrency';
import { clearOrphans } from './clearOrphans';
import { projectPage } from './projectPage';
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
          ? await withWriteTransaction(db, (trx) => projectPage(trx, page, true))
          : // A read transaction: the events and the stored rows come from one snapshot.
            await db.transaction((trx) => projectPage(trx, page, false));
      pageResults[index] = result.differing;
      for (const upId of result.staleLists) staleLists.add(upId);
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
  if (options.mode === 'rebuild') await clearOrphans(db, orphans, orphanLists);
  summary.elapsedMs = performance.now() - started;
  return summary;
}
