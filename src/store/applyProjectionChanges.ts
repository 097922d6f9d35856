import type { Knex } from 'knex';
import type { Anomaly, Cancellation, DetailedProjection, Period, StreamKey } from '../domain';
import { anomalyRow, cancellationRow, periodRow } from './projectionRows';
import { fromStreamIndexed } from './streamIndex';
import { chunk } from './streamKeys';
import { KEYS_PER_STATEMENT, ROWS_PER_INSERT } from './statementSizes';

/** What one stream's projection gained and lost between two versions of its events. */
interface StreamChanges {
  stream: StreamKey;
  before: DetailedProjection;
  after: DetailedProjection;
}

// Rows compare by their whole content, so that a stored row that drifted (the
// replay CLI repairs those) differs from the projection; they are deleted by
// the key of the event that caused them (unique within a stream).
const periodKey = (p: Period) =>
  [p.startEventKey, p.endEventKey ?? '', p.startTime, p.endTime ?? '', p.status].join('\u0000');
const anomalyKey = (a: Anomaly) => [a.eventKey, a.code, a.eventTime, a.action].join('\u0000');
const cancellationKey = (c: Cancellation) =>
  [
    c.cancel.dedupeKey,
    c.cancel.eventTime,
    c.target.dedupeKey,
    c.target.eventTime,
    c.target.action,
  ].join('\u0000');

function difference<T>(from: readonly T[], minus: readonly T[], keyOf: (item: T) => string): T[] {
  const keys = new Set(minus.map(keyOf));
  return from.filter((item) => !keys.has(keyOf(item)));
}

/**
 * Writes only what changed between two projections of each stream: `before`
 * is what the tables hold (the write path knows it without reading: the
 * projection of the stream's events before this write; the replay CLI reads
 * it), `after` what they must hold. Most writes change one or two rows.
 */
export async function applyProjectionChanges(
  trx: Knex.Transaction,
  changes: readonly StreamChanges[],
): Promise<void> {
  const stale = {
    periods: [] as string[][],
    anomalies: [] as string[][],
    cancellations: [] as string[][],
  };
  const fresh = {
    periods: [] as Record<string, unknown>[],
    anomalies: [] as Record<string, unknown>[],
    cancellations: [] as Record<string, unknown>[],
  };
  for (const { stream, before, after } of changes) {
    const ids = [stream.upId, stream.medicationName];
    for (const p of difference(before.periods, after.periods, periodKey))
      stale.periods.push([...ids, p.startEventKey]);
    for (const a of difference(before.anomalies, after.anomalies, anomalyKey))
      stale.anomalies.push([...ids, a.eventKey]);
    for (const c of difference(before.cancellations, after.cancellations, cancellationKey)) {
      stale.cancellations.push([...ids, c.cancel.dedupeKey]);
    }
    fresh.periods.push(
      ...difference(after.periods, before.periods, periodKey).map((p) => periodRow(stream, p)),
    );
    fresh.anomalies.push(
      ...difference(after.anomalies, before.anomalies, anomalyKey).map((a) =>
        anomalyRow(stream, a),
      ),
    );
    fresh.cancellations.push(
      ...difference(after.cancellations, before.cancellations, cancellationKey).map((c) =>
        cancellationRow(stream, c),
      ),
    );
  }
  await deleteByKeys(trx, 'periods', 'start_event_key', stale.periods);
  await deleteByKeys(trx, 'anomalies', 'event_key', stale.anomalies);
  await deleteByKeys(trx, 'stream_cancellations', 'cancel_key', stale.cancellations);
  for (const part of chunk(fresh.periods, ROWS_PER_INSERT)) await trx('periods').insert(part);
  for (const part of chunk(fresh.anomalies, ROWS_PER_INSERT)) await trx('anomalies').insert(part);
  for (const part of chunk(fresh.cancellations, ROWS_PER_INSERT))
    await trx('stream_cancellations').insert(part);
}

/**
 * Finds the rows through the stream index (forced on MySQL, see
 * fromStreamIndexed) and deletes them by id: a DELETE with the same row-value
 * IN list is planned as a scan while the table's statistics lag behind.
 */
async function deleteByKeys(
  trx: Knex.Transaction,
  table: 'periods' | 'anomalies' | 'stream_cancellations',
  keyColumn: string,
  keys: string[][],
): Promise<void> {
  for (const part of chunk(keys, KEYS_PER_STATEMENT)) {
    const rows: { id: number | string }[] = await fromStreamIndexed(trx, table)
      .select('id')
      .whereIn(['up_id', 'medication_name', keyColumn], part);
    if (rows.length > 0)
      await trx(table)
        .whereIn(
          'id',
          rows.map((r) => r.id),
        )
        .delete();
  }
}
