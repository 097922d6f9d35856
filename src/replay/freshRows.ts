import type { Knex } from 'knex';
import { streamKeyOf, type DetailedProjection, type StreamKey } from '../domain';
import { insertValueLists, type SqlValue } from '../store/insertValueLists';

/** Columns of each table, in the order rowsOf writes their values. */
export const COLUMNS = {
  periods: [
    'up_id',
    'medication_name',
    'start_time',
    'end_time',
    'status',
    'start_event_key',
    'end_event_key',
  ],
  anomalies: ['up_id', 'medication_name', 'code', 'event_key', 'event_time', 'action'],
  stream_cancellations: [
    'up_id',
    'medication_name',
    'cancel_key',
    'cancel_time',
    'target_key',
    'target_time',
    'target_action',
  ],
} as const;

type Table = keyof typeof COLUMNS;

/** The rows of each table for `projections` of `page`, as value lists (the same rows as projectionRows). */
export function rowsOf(
  page: readonly StreamKey[],
  projections: ReadonlyMap<string, DetailedProjection>,
): Record<Table, SqlValue[][]> {
  const rows: Record<Table, SqlValue[][]> = {
    periods: [],
    anomalies: [],
    stream_cancellations: [],
  };
  for (const stream of page) {
    const projection = projections.get(streamKeyOf(stream));
    if (!projection) continue;
    const { upId, medicationName } = stream;
    for (const p of projection.periods)
      rows.periods.push([
        upId,
        medicationName,
        p.startTime,
        p.endTime,
        p.status,
        p.startEventKey,
        p.endEventKey,
      ]);
    for (const a of projection.anomalies)
      rows.anomalies.push([upId, medicationName, a.code, a.eventKey, a.eventTime, a.action]);
    for (const c of projection.cancellations)
      rows.stream_cancellations.push([
        upId,
        medicationName,
        c.cancel.dedupeKey,
        c.cancel.eventTime,
        c.target.dedupeKey,
        c.target.eventTime,
        c.target.action,
      ]);
  }
  return rows;
}

/**
 * Inserts the projections of streams that have no stored rows at all, as
 * plain multi-row INSERTs: nothing to compare or delete. (The general
 * applyProjectionChanges spends most of a rebuild into an empty read model
 * building row objects and difference keys.)
 */
export async function insertFreshRows(
  trx: Knex.Transaction,
  page: readonly StreamKey[],
  projections: ReadonlyMap<string, DetailedProjection>,
): Promise<void> {
  const rows = rowsOf(page, projections);
  for (const table of Object.keys(COLUMNS) as Table[])
    await insertValueLists(trx, table, COLUMNS[table], rows[table]);
}
