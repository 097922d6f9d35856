import type { Knex } from 'knex';
import { sortAnomalies, type StreamKey, type TailProjection } from '../domain';
import { anomalyRow, cancellationRow, periodRow } from './projectionRows';
import { rowsPerInsert } from './statementSizes';
import type { OfStream, StraddlingPeriod } from './tailQueries';

const PHASE_2_CODES = ['duplicate_start', 'unmatched_stop'];
const PHASE_1_CODES = ['unmatched_cancel_start', 'unmatched_cancel_stop'];

/** Where a tail replay's two phases began, and the stored period it re-emits. */
export interface TailBounds {
  fromTime: number;
  pairFrom: number;
  straddling: StraddlingPeriod | undefined;
}

/**
 * Replaces the stored rows a tail replay covers: phase 1's (cancellations and
 * unmatched cancels) from `fromTime`, phase 2's (periods and their anomalies)
 * from `pairFrom`, and the period open at `pairFrom`, which the replay re-emits.
 */
export async function replaceTail(
  trx: Knex.Transaction,
  stream: StreamKey,
  ofStream: OfStream,
  { fromTime, pairFrom, straddling }: TailBounds,
  { periods, anomalies, cancellations }: TailProjection,
): Promise<void> {
  await trx('periods')
    .where(ofStream)
    .where((w) => {
      w.where('start_time', '>=', pairFrom);
      if (straddling)
        w.orWhere({
          start_time: straddling.start_time,
          start_event_key: straddling.start_event_key,
        });
    })
    .delete();
  await trx('anomalies')
    .where(ofStream)
    .whereIn('code', PHASE_2_CODES)
    .where('event_time', '>=', pairFrom)
    .delete();
  await trx('anomalies')
    .where(ofStream)
    .whereIn('code', PHASE_1_CODES)
    .where('event_time', '>=', fromTime)
    .delete();
  await trx('stream_cancellations').where(ofStream).where('cancel_time', '>=', fromTime).delete();

  await insertAll(
    trx,
    'periods',
    periods.map((p) => periodRow(stream, p)),
  );
  await insertAll(
    trx,
    'anomalies',
    sortAnomalies(anomalies).map((a) => anomalyRow(stream, a)),
  );
  await insertAll(
    trx,
    'stream_cancellations',
    cancellations.map((c) => cancellationRow(stream, c)),
  );
}

async function insertAll(
  trx: Knex.Transaction,
  table: string,
  rows: Record<string, unknown>[],
): Promise<void> {
  const size = rowsPerInsert(trx);
  for (let i = 0; i < rows.length; i += size) await trx(table).insert(rows.slice(i, i + size));
}
