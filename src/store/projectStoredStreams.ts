import type { Knex } from 'knex';
import { projectStreamDetailed, streamKeyOf, type StreamKey, type ValidEvent } from '../domain';
import {
  addPatch,
  type PeriodPatches,
  type StreamPeriodPatch,
} from '../periodLists/periodListPatch';
import { projectStreamTail } from './projectStreamTail';
import { applyProjectionChanges } from './applyProjectionChanges';
import { dialectOf } from './db';
import { chunk } from './streamKeys';
import { loadStreamEvents } from './streamEvents';
import { STREAMS_PER_STATEMENT } from './statementSizes';

/**
 * Streams with at least this many events are re-projected from the earliest
 * new event (projectStreamTail); shorter ones are replayed whole, many
 * streams per statement, which is cheaper for them.
 */
export const INCREMENTAL_FROM_EVENTS = 200;

/**
 * Brings the periods, anomalies and cancellations of every stream that just
 * received `appended` events up to date. Runs inside the caller's
 * transaction, after the streams were locked; `eventCounts` is what
 * lockStreams returned. Returns what changed in each patient's periods.
 */
export async function projectStoredStreams(
  trx: Knex.Transaction,
  appended: readonly ValidEvent[],
  eventCounts: ReadonlyMap<string, number>,
  projectedAt: number,
  incrementalFromEvents = INCREMENTAL_FROM_EVENTS,
): Promise<PeriodPatches> {
  const patches = new Map<string, StreamPeriodPatch[]>();
  const byStream = new Map<string, { stream: StreamKey; earliest: number; added: number }>();
  for (const e of appended) {
    const key = streamKeyOf(e);
    const entry = byStream.get(key) ?? {
      stream: { upId: e.upId, medicationName: e.medicationName },
      earliest: e.eventTime,
      added: 0,
    };
    entry.earliest = Math.min(entry.earliest, e.eventTime);
    entry.added += 1;
    byStream.set(key, entry);
  }
  const whole: StreamKey[] = [];
  for (const [key, { stream, earliest, added }] of byStream) {
    if ((eventCounts.get(key) ?? 0) < incrementalFromEvents) {
      whole.push(stream);
      continue;
    }
    addPatch(patches, stream.upId, await projectStreamTail(trx, stream, earliest));
    await trx('streams')
      .where({ up_id: stream.upId, medication_name: stream.medicationName })
      .update({
        version: trx.raw('version + 1'),
        event_count: trx.raw('event_count + ?', [added]),
        projected_at: projectedAt,
      });
  }
  if (whole.length > 0) {
    const replaced = await projectWholeStreams(
      trx,
      whole,
      new Set(appended.map((e) => e.dedupeKey)),
      projectedAt,
      { countsFrom: incrementalFromEvents },
    );
    for (const [upId, patch] of replaced) addPatch(patches, upId, patch);
  }
  return patches;
}

/**
 * Replays each stream from the whole log and replaces everything derived from
 * it. With `countsFrom`, a stream's row in `streams` is only updated once it
 * holds that many events: below it the recorded count only has to stay below
 * it too (it picks the whole replay again), so the write path spares itself
 * an upsert of every stream it touches. Returns each stream's periods, as
 * a patch that replaces all of them.
 */
async function projectWholeStreams(
  trx: Knex.Transaction,
  streams: readonly StreamKey[],
  appendedKeys: ReadonlySet<string>,
  projectedAt: number,
  options: { countsFrom?: number } = {},
): Promise<[string, StreamPeriodPatch][]> {
  const eventsByStream = await loadStreamEvents(trx, streams);
  const changes = streams.map((stream) => {
    const events = eventsByStream.get(streamKeyOf(stream)) ?? [];
    const before = events.filter((e) => !appendedKeys.has(e.dedupeKey));
    return { stream, before: projectStreamDetailed(before), after: projectStreamDetailed(events) };
  });
  await applyProjectionChanges(trx, changes);
  const counts = streams
    .map((stream) => ({ stream, eventCount: eventsByStream.get(streamKeyOf(stream))?.length ?? 0 }))
    .filter(({ eventCount }) => eventCount >= (options.countsFrom ?? 0));
  if (counts.length > 0) await recordStreamCounts(trx, counts, projectedAt);
  return changes.map(({ stream, after }) => [
    stream.upId,
    { medicationName: stream.medicationName, from: -Infinity, periods: after.periods },
  ]);
}

/**
 * Sets each stream's event count and bumps its version, all streams in one
 * upsert per chunk (the rows exist: lockStreams made them).
 */
export async function recordStreamCounts(
  trx: Knex.Transaction,
  counts: readonly { stream: StreamKey; eventCount: number }[],
  projectedAt: number,
): Promise<void> {
  const incoming =
    dialectOf(trx) === 'mysql' ? (c: string) => `VALUES(${c})` : (c: string) => `excluded.${c}`;
  for (const part of chunk(counts, STREAMS_PER_STATEMENT)) {
    await trx('streams')
      .insert(
        part.map(({ stream, eventCount }) => ({
          up_id: stream.upId,
          medication_name: stream.medicationName,
          version: 1,
          event_count: eventCount,
          projected_at: projectedAt,
        })),
      )
      .onConflict(['up_id', 'medication_name'])
      .merge({
        version: trx.raw('streams.version + 1'),
        event_count: trx.raw(incoming('event_count')),
        projected_at: trx.raw(incoming('projected_at')),
      });
  }
}
