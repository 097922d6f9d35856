import type { Knex } from 'knex';
import {
  projectStreamDetailed,
  type DetailedProjection,
  type StreamKey,
  type ValidEvent,
} from '../domain';
import { anomalyRow, cancellationRow, periodRow } from './projectionRows';
import { projectStreamTail } from './projectStreamTail';
import { chunk, streamTuples } from './streamKeys';
import { loadStreamEvents } from './streamEvents';

const STREAMS_PER_STATEMENT = 200;
const ROWS_PER_INSERT = 500;

/**
 * Streams with at least this many events are re-projected from the earliest
 * new event (projectStreamTail); shorter ones are replayed whole, many
 * streams per statement, which is cheaper for them.
 */
export const INCREMENTAL_FROM_EVENTS = 200;

const keyOf = (s: StreamKey) => JSON.stringify([s.upId, s.medicationName]);

/**
 * Brings the periods, anomalies and cancellations of every stream that just
 * received `appended` events up to date. Runs inside the caller's
 * transaction, after the streams were locked; `eventCounts` is what
 * lockStreams returned.
 */
export async function projectStoredStreams(
  trx: Knex.Transaction,
  appended: readonly ValidEvent[],
  eventCounts: ReadonlyMap<string, number>,
  projectedAt: number,
  incrementalFromEvents = INCREMENTAL_FROM_EVENTS,
): Promise<void> {
  const byStream = new Map<string, { stream: StreamKey; earliest: number; added: number }>();
  for (const e of appended) {
    const key = keyOf(e);
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
    await projectStreamTail(trx, stream, earliest);
    await trx('streams')
      .where({ up_id: stream.upId, medication_name: stream.medicationName })
      .update({
        version: trx.raw('version + 1'),
        event_count: trx.raw('event_count + ?', [added]),
        projected_at: projectedAt,
      });
  }
  if (whole.length > 0) await projectWholeStreams(trx, whole, projectedAt);
}

/** Replays each stream from the whole log and replaces everything derived from it. */
export async function projectWholeStreams(
  trx: Knex.Transaction,
  streams: readonly StreamKey[],
  projectedAt: number,
): Promise<void> {
  const eventsByStream = await loadStreamEvents(trx, streams);
  const projections = new Map<string, DetailedProjection>();
  for (const stream of streams)
    projections.set(keyOf(stream), projectStreamDetailed(eventsByStream.get(keyOf(stream)) ?? []));
  const counts = new Map([...eventsByStream].map(([key, events]) => [key, events.length]));
  await replaceProjections(trx, streams, projections, counts, projectedAt);
}

/** Swaps the stored periods, anomalies and cancellations of `streams` for the given projections. */
export async function replaceProjections(
  trx: Knex.Transaction,
  streams: readonly StreamKey[],
  projections: ReadonlyMap<string, DetailedProjection>,
  eventCounts: ReadonlyMap<string, number>,
  projectedAt: number,
): Promise<void> {
  for (const part of chunk(streams, STREAMS_PER_STATEMENT)) {
    const tuples = streamTuples(part);
    await trx('periods').whereIn(['up_id', 'medication_name'], tuples).delete();
    await trx('anomalies').whereIn(['up_id', 'medication_name'], tuples).delete();
    await trx('stream_cancellations').whereIn(['up_id', 'medication_name'], tuples).delete();
  }
  const periodRows: Record<string, unknown>[] = [];
  const anomalyRows: Record<string, unknown>[] = [];
  const cancellationRows: Record<string, unknown>[] = [];
  for (const stream of streams) {
    const projection = projections.get(keyOf(stream));
    if (!projection) continue;
    periodRows.push(...projection.periods.map((p) => periodRow(stream, p)));
    anomalyRows.push(...projection.anomalies.map((a) => anomalyRow(stream, a)));
    cancellationRows.push(...projection.cancellations.map((c) => cancellationRow(stream, c)));
  }
  for (const part of chunk(periodRows, ROWS_PER_INSERT)) await trx('periods').insert(part);
  for (const part of chunk(anomalyRows, ROWS_PER_INSERT)) await trx('anomalies').insert(part);
  for (const part of chunk(cancellationRows, ROWS_PER_INSERT))
    await trx('stream_cancellations').insert(part);
  // One statement per distinct count: in a batch most streams share a handful of counts.
  const byCount = new Map<number, StreamKey[]>();
  for (const stream of streams) {
    const count = eventCounts.get(keyOf(stream)) ?? 0;
    byCount.set(count, [...(byCount.get(count) ?? []), stream]);
  }
  for (const [count, group] of byCount) {
    for (const part of chunk(group, STREAMS_PER_STATEMENT)) {
      await trx('streams')
        .whereIn(['up_id', 'medication_name'], streamTuples(part))
        .update({ version: trx.raw('version + 1'), event_count: count, projected_at: projectedAt });
    }
  }
}
