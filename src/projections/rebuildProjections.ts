import type { Knex } from 'knex';
import {
  projectStreamDetailed,
  type DetailedProjection,
  type OrderedEvent,
  type StreamKey,
} from '../domain';
import { lockStreams } from '../store/lockStreams';
import { applyProjectionChanges } from '../store/applyProjectionChanges';
import { recordStreamCounts } from '../store/projectStoredStreams';
import { loadStreamEvents } from '../store/streamEvents';
import { withWriteTransaction } from '../store/writeTransaction';
import { loadStoredProjections, sameProjection } from './storedProjections';
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
  counts: ReadonlyMap<string, number>,
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
  await recordStreamCounts(
    trx,
    streams.map((stream) => ({ stream, eventCount: counts.get(keyOf(stream)) ?? 0 })),
    Date.now(),
  );
}

/**
 * Replays the log into the periods and anomalies tables, a page of streams
 * per transaction: a reader sees each stream's old or new periods, never a
 * half-written stream. Concurrent writers are safe: each page locks its
 * streams exactly as the write path does.
 */
export async function rebuildProjections(
  db: Knex,
  options: RebuildOptions,
): Promise<RebuildSummary> {
  const started = performance.now();
  const scope = options.scope ?? {};
  const totals = await countScope(db, scope);
  const summary: RebuildSummary = {
    mode: options.mode,
    streams: 0,
    events: 0,
    periods: 0,
    anomalies: 0,
    differing: [],
    elapsedMs: 0,
  };

  const handlePage = async (page: StreamKey[], trx: Knex.Transaction) => {
    const { projections, counts, events } = project(await loadStreamEvents(trx, page), page);
    const stored = await loadStoredProjections(trx, page);
    for (const stream of page) {
      const key = JSON.stringify([stream.upId, stream.medicationName]);
      if (!sameProjection(projections.get(key), stored.get(key))) summary.differing.push(stream);
      summary.periods += projections.get(key)?.periods.length ?? 0;
      summary.anomalies += projections.get(key)?.anomalies.length ?? 0;
    }
    if (options.mode === 'rebuild') await rewrite(trx, page, stored, projections, counts);
    summary.streams += page.length;
    summary.events += events;
  };

  for await (const page of streamPages(db, scope, options.pageSize ?? 500)) {
    if (options.mode === 'rebuild') {
      await withWriteTransaction(db, async (trx) => {
        await lockStreams(trx, page);
        await handlePage(page, trx);
      });
    } else {
      // A read transaction: the events and the stored rows come from one snapshot.
      await db.transaction((trx) => handlePage(page, trx));
    }
    options.onProgress?.({
      streams: summary.streams,
      events: summary.events,
      totalStreams: totals.streams,
      totalEvents: totals.events,
    });
  }

  const orphans = await orphanedStreams(db, scope);
  summary.differing.push(...orphans);
  if (options.mode === 'rebuild' && orphans.length > 0) {
    await withWriteTransaction(db, async (trx) =>
      rewrite(trx, orphans, await loadStoredProjections(trx, orphans), new Map(), new Map()),
    );
  }
  summary.elapsedMs = performance.now() - started;
  return summary;
}
