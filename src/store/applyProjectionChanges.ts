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

// Each derived row is named by the event that caused it: a start opens at most
// one period, an event causes at most one anomaly, a cancel removes at most one target.
const periodKey = (p: Period) => `${p.startEventKey}\u0000${p.endEventKey ?? ''}`;
const anomalyKey = (a: Anomaly) => `${a.eventKey}\u0000${a.code}`;
const cancellationKey = (c: Cancellation) => `${c.cancel.dedupeKey}\u0000${c.target.dedupeKey}`;

function difference<T>(from: readonly T[], minus: readonly T[], keyOf: (item: T) => string): T[] {
  const keys = new Set(minus.map(keyOf));
  return from.filter((item) => !keys.has(keyOf(item)));
}

/**
 * Writes only what changed between the projection of a stream's events
 * before this write and after it. The table holds exactly the "before"
 * projection (every write goes through here, in the stream's lock), so no
 * stored row needs reading back: most writes change one or two rows.
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
