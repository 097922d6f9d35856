import type { Knex } from 'knex';
import { projectStream, type Projection, type StreamKey } from '../domain';
import { chunk, streamTuples } from './streamKeys';
import { loadStreamEvents } from './streamEvents';

const STREAMS_PER_STATEMENT = 200;
const ROWS_PER_INSERT = 500;

/**
 * Replays each stream from the log and replaces its periods and anomalies.
 * Runs inside the caller's transaction, after the streams were locked.
 */
export async function projectStoredStreams(
  trx: Knex.Transaction,
  streams: readonly StreamKey[],
  projectedAt: number,
): Promise<Map<string, Projection>> {
  const eventsByStream = await loadStreamEvents(trx, streams);
  const projections = new Map<string, Projection>();
  for (const stream of streams) {
    const key = JSON.stringify([stream.upId, stream.medicationName]);
    projections.set(key, projectStream(eventsByStream.get(key) ?? []));
  }
  await replaceProjections(trx, streams, projections, projectedAt);
  return projections;
}

/** Swaps the stored periods and anomalies of `streams` for the given projections. */
export async function replaceProjections(
  trx: Knex.Transaction,
  streams: readonly StreamKey[],
  projections: ReadonlyMap<string, Projection>,
  projectedAt: number,
): Promise<void> {
  for (const part of chunk(streams, STREAMS_PER_STATEMENT)) {
    const tuples = streamTuples(part);
    await trx('periods').whereIn(['up_id', 'medication_name'], tuples).delete();
    await trx('anomalies').whereIn(['up_id', 'medication_name'], tuples).delete();
    await trx('streams')
      .whereIn(['up_id', 'medication_name'], tuples)
      .update({ version: trx.raw('version + 1'), projected_at: projectedAt });
  }
  const periodRows: Record<string, unknown>[] = [];
  const anomalyRows: Record<string, unknown>[] = [];
  for (const stream of streams) {
    const projection = projections.get(JSON.stringify([stream.upId, stream.medicationName]));
    if (!projection) continue;
    const ids = { up_id: stream.upId, medication_name: stream.medicationName };
    for (const p of projection.periods) {
      periodRows.push({
        ...ids,
        start_time: p.startTime,
        end_time: p.endTime,
        status: p.status,
        start_event_key: p.startEventKey,
        end_event_key: p.endEventKey,
      });
    }
    for (const a of projection.anomalies) {
      anomalyRows.push({
        ...ids,
        code: a.code,
        event_key: a.eventKey,
        event_time: a.eventTime,
        action: a.action,
      });
    }
  }
  for (const part of chunk(periodRows, ROWS_PER_INSERT)) await trx('periods').insert(part);
  for (const part of chunk(anomalyRows, ROWS_PER_INSERT)) await trx('anomalies').insert(part);
}
