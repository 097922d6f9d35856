import type { Knex } from 'knex';
import {
  projectStreamDetailed,
  type DetailedProjection,
  type OrderedEvent,
  streamKeyOf,
  type StreamKey,
} from '../domain';
import { applyProjectionChanges } from '../store/applyProjectionChanges';
import { findStaleLists, refreshPatientPeriodLists } from '../store/patientPeriodLists';
import { insertFreshRows } from './freshRows';
import { lockPageStreams, recordPageCounts } from './pageStreamRows';
import { loadPageEvents } from './pageEvents';
import { pagePeriods } from './pagePeriods';
import { loadPageProjections, sameProjection } from './storedProjections';

const EMPTY: DetailedProjection = { periods: [], anomalies: [], cancellations: [] };

export interface PageOutcome {
  /** Streams whose stored rows differed from the log's projection (before a rebuild fixed them). */
  differing: StreamKey[];
  /** Patients whose pre-rendered list is stale (verify and dry-run only). */
  staleLists: string[];
  periods: number;
  anomalies: number;
  events: number;
}

function project(eventsByStream: Map<string, OrderedEvent[]>, page: readonly StreamKey[]) {
  const projections = new Map<string, DetailedProjection>();
  const counts = new Map<string, number>();
  for (const stream of page) {
    const key = streamKeyOf(stream);
    const streamEvents = eventsByStream.get(key) ?? [];
    counts.set(key, streamEvents.length);
    projections.set(key, projectStreamDetailed(streamEvents));
  }
  const events = [...counts.values()].reduce((a, b) => a + b, 0);
  return { projections, counts, events };
}

/** Makes the stored rows of `streams` (as read) those of the log's projection, touching only what differs. */
export async function rewriteStreams(
  trx: Knex.Transaction,
  streams: readonly StreamKey[],
  stored: ReadonlyMap<string, DetailedProjection>,
  projections: ReadonlyMap<string, DetailedProjection>,
): Promise<void> {
  await applyProjectionChanges(
    trx,
    streams.map((stream) => ({
      stream,
      before: stored.get(streamKeyOf(stream)) ?? EMPTY,
      after: projections.get(streamKeyOf(stream)) ?? EMPTY,
    })),
  );
}

/**
 * Replays one page of streams from the log and compares the result with the
 * stored rows; when `rebuild`, it also locks the streams first and writes
 * what differs, and re-renders every patient's list on the page.
 */
export async function projectPage(
  trx: Knex.Transaction,
  page: StreamKey[],
  rebuild: boolean,
): Promise<PageOutcome> {
  const locked = rebuild ? await lockPageStreams(trx, page) : null;
  const { projections, counts, events } = project(await loadPageEvents(trx, page), page);
  const stored = await loadPageProjections(trx, page);
  const outcome: PageOutcome = { differing: [], staleLists: [], periods: 0, anomalies: 0, events };
  for (const stream of page) {
    const key = streamKeyOf(stream);
    const projection = projections.get(key);
    if (!sameProjection(projection, stored.get(key))) outcome.differing.push(stream);
    outcome.periods += projection?.periods.length ?? 0;
    outcome.anomalies += projection?.anomalies.length ?? 0;
  }
  const upIds = page.map((s) => s.upId);
  if (!locked) {
    outcome.staleLists = await findStaleLists(trx, upIds);
    return outcome;
  }
  await recordPageCounts(trx, locked, counts, Date.now());
  // Streams without any stored row need no comparison: their rows are only inserted.
  const isStored = (s: StreamKey) => stored.has(streamKeyOf(s));
  await insertFreshRows(
    trx,
    page.filter((s) => !isStored(s)),
    projections,
  );
  await rewriteStreams(trx, page.filter(isStored), stored, projections);
  // Every patient of the page, changed or not: a rebuild also repairs their lists.
  await refreshPatientPeriodLists(trx, upIds, {
    recount: true,
    known: pagePeriods(page, projections),
  });
  return outcome;
}
