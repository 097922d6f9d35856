import type { Knex } from 'knex';
import type { Anomaly, Cancellation, DetailedProjection, Period, StreamKey } from '../domain';
import { anomalyRow, cancellationRow, periodRow } from './projectionRows';
import { fromStreamIndexed } from './streamIndex';
import { chunk } from './streamKeys';
import { KEYS_PER_STATEMENT, rowsPerInsert } from './statementSizes';

/** What one stream's projection gained and lost between two versions of its events. */
interface StreamChanges {
  stream: StreamKey;
  before: DetailedProjection;
  after: DetailedProjection;
}

type DerivedTable = 'periods' | 'anomalies' | 'stream_cancellations';

/**
 * How each derived table is compared and keyed. Rows compare by their whole
 * content, so that a stored row that drifted (the replay CLI repairs those)
 * differs from the projection; within a stream, a row's natural key is the
 * key of the event that caused it (unique: a start opens at most one period,
 * an event causes at most one anomaly or cancellation).
 */
interface TableDiff<T> {
  table: DerivedTable;
  /** The unique index's columns after the stream's: the row's instant, then its event key. */
  timeColumn: string;
  keyColumn: string;
  /** Whether that unique key is the primary key (no surrogate id to delete by). */
  keyIsPrimary: boolean;
  pick: (projection: DetailedProjection) => readonly T[];
  naturalKey: (item: T) => [number, string];
  content: (item: T) => string;
  row: (stream: StreamKey, item: T) => Record<string, unknown>;
}

const join = (...parts: (string | number | null)[]) => parts.map((p) => p ?? '').join('\u0000');

const PERIODS: TableDiff<Period> = {
  table: 'periods',
  timeColumn: 'start_time',
  keyColumn: 'start_event_key',
  keyIsPrimary: true,
  pick: (p) => p.periods,
  naturalKey: (p) => [p.startTime, p.startEventKey],
  content: (p) => join(p.startEventKey, p.endEventKey, p.startTime, p.endTime, p.status),
  row: periodRow,
};
const ANOMALIES: TableDiff<Anomaly> = {
  table: 'anomalies',
  timeColumn: 'event_time',
  keyColumn: 'event_key',
  keyIsPrimary: false,
  pick: (p) => p.anomalies,
  naturalKey: (a) => [a.eventTime, a.eventKey],
  content: (a) => join(a.eventKey, a.code, a.eventTime, a.action),
  row: anomalyRow,
};
const CANCELLATIONS: TableDiff<Cancellation> = {
  table: 'stream_cancellations',
  timeColumn: 'cancel_time',
  keyColumn: 'cancel_key',
  keyIsPrimary: false,
  pick: (p) => p.cancellations,
  naturalKey: (c) => [c.cancel.eventTime, c.cancel.dedupeKey],
  content: (c) =>
    join(
      c.cancel.dedupeKey,
      c.cancel.eventTime,
      c.target.dedupeKey,
      c.target.eventTime,
      c.target.action,
    ),
  row: cancellationRow,
};

/** Rows to write (insert, or overwrite the row with the same natural key) and natural keys to delete. */
interface TableWrites {
  upserts: Record<string, unknown>[];
  deletes: (string | number)[][];
}

function diffTable<T>(spec: TableDiff<T>, changes: readonly StreamChanges[]): TableWrites {
  const writes: TableWrites = { upserts: [], deletes: [] };
  for (const { stream, before, after } of changes) {
    const beforeContent = new Set(spec.pick(before).map(spec.content));
    const afterContent = new Set(spec.pick(after).map(spec.content));
    const written = new Set<string>();
    for (const item of spec.pick(after)) {
      if (beforeContent.has(spec.content(item))) continue;
      written.add(join(...spec.naturalKey(item)));
      writes.upserts.push(spec.row(stream, item));
    }
    for (const item of spec.pick(before)) {
      const key = spec.naturalKey(item);
      // A row whose key is written anew is overwritten in place, not deleted.
      if (afterContent.has(spec.content(item)) || written.has(join(...key))) continue;
      writes.deletes.push([stream.upId, stream.medicationName, ...key]);
    }
  }
  return writes;
}

/**
 * Writes only what changed between two projections of each stream: `before`
 * is what the tables hold (the write path knows it without reading: the
 * projection of the stream's events before this write; the replay CLI reads
 * it), `after` what they must hold. Most writes change one or two rows; a
 * changed row (a period that gained its end) is updated in place by its
 * natural key, which costs the database far less than a delete and an insert.
 */
export async function applyProjectionChanges(
  trx: Knex.Transaction,
  changes: readonly StreamChanges[],
): Promise<void> {
  await writeTable(trx, PERIODS, diffTable(PERIODS, changes));
  await writeTable(trx, ANOMALIES, diffTable(ANOMALIES, changes));
  await writeTable(trx, CANCELLATIONS, diffTable(CANCELLATIONS, changes));
}

async function writeTable<T>(
  trx: Knex.Transaction,
  spec: TableDiff<T>,
  { upserts, deletes }: TableWrites,
): Promise<void> {
  const unique = ['up_id', 'medication_name', spec.timeColumn, spec.keyColumn];
  await deleteByKeys(trx, spec, unique, deletes);
  for (const part of chunk(upserts, rowsPerInsert(trx))) {
    const columns = Object.keys(part[0] ?? {});
    await trx(spec.table)
      .insert(part)
      .onConflict(unique)
      .merge(columns.filter((c) => !unique.includes(c)));
  }
}

/**
 * Deletes by the primary key when the natural key is it. Otherwise finds the
 * rows through the stream index (forced on MySQL, see fromStreamIndexed) and
 * deletes them by id: a DELETE with the same row-value IN list on a secondary
 * index is planned as a scan while the table's statistics lag behind.
 *
 * A single key is matched column by column: MariaDB (10.11) plans a DELETE
 * whose row-value IN list holds one row as a full table scan, though it uses
 * the primary key for two rows or more. In the lag benchmark those deletes
 * were a seventh of the database's time and grew with the periods table.
 */
async function deleteByKeys<T>(
  trx: Knex.Transaction,
  spec: TableDiff<T>,
  columns: string[],
  keys: (string | number)[][],
): Promise<void> {
  for (const part of chunk(keys, KEYS_PER_STATEMENT)) {
    if (spec.keyIsPrimary) {
      const [only] = part;
      await (
        part.length === 1 && only !== undefined
          ? trx(spec.table).where(Object.fromEntries(columns.map((c, i) => [c, only[i]])))
          : trx(spec.table).whereIn(columns, part)
      ).delete();
      continue;
    }
    const rows: { id: number | string }[] = await fromStreamIndexed(trx, spec.table)
      .select('id')
      .whereIn(columns, part);
    if (rows.length > 0)
      await trx(spec.table)
        .whereIn(
          'id',
          rows.map((r) => r.id),
        )
        .delete();
  }
}
