import type { Knex } from 'knex';
import {
  streamKeyOfIds,
  type Anomaly,
  type DetailedProjection,
  type Period,
  type StreamKey,
} from '../domain';
import { fromStreamIndexed, type StreamIndexedTable } from '../store/streamIndex';
import { chunk, streamTuples } from '../store/streamKeys';
import { STREAMS_PER_STATEMENT } from '../store/statementSizes';
import { keysOf, rangeOf, whereInRange } from './streamRange';

interface StoredPeriodRow {
  up_id: string;
  medication_name: string;
  start_time: number | string;
  end_time: number | string | null;
  status: Period['status'];
  start_event_key: string;
  end_event_key: string | null;
}

interface CancellationRow {
  up_id: string;
  medication_name: string;
  cancel_key: string;
  cancel_time: number | string;
  target_key: string;
  target_time: number | string;
  target_action: 'start' | 'stop';
}

interface StoredAnomalyRow {
  up_id: string;
  medication_name: string;
  code: Anomaly['code'];
  event_key: string;
  event_time: number | string;
  action: Anomaly['action'];
}

const keyOf = (r: { up_id: string; medication_name: string }) =>
  streamKeyOfIds(r.up_id, r.medication_name);

type Restrict = (query: Knex.QueryBuilder, table: StreamIndexedTable) => Knex.QueryBuilder;

/** The stored periods, anomalies and cancellations of `streams`, shaped like the projector's output. */
export async function loadStoredProjections(
  db: Knex | Knex.Transaction,
  streams: readonly StreamKey[],
): Promise<Map<string, DetailedProjection>> {
  const stored = new Map<string, DetailedProjection>();
  for (const part of chunk(streams, STREAMS_PER_STATEMENT)) {
    const tuples = streamTuples(part);
    await loadInto(stored, db, (query) => query.whereIn(['up_id', 'medication_name'], tuples));
  }
  return stored;
}

/**
 * The same for a page of streams in (up_id, medication_name) order, read
 * with one range scan per table; rows of streams in the range that are not
 * the page's (orphans, or streams that appeared since the page was listed)
 * are left out.
 */
export async function loadPageProjections(
  db: Knex | Knex.Transaction,
  page: readonly StreamKey[],
): Promise<Map<string, DetailedProjection>> {
  const stored = new Map<string, DetailedProjection>();
  if (page.length === 0) return stored;
  const range = rangeOf(page);
  await loadInto(stored, db, (query, table) => whereInRange(query, table, range));
  const wanted = keysOf(page);
  for (const key of stored.keys()) if (!wanted.has(key)) stored.delete(key);
  return stored;
}

async function loadInto(
  stored: Map<string, DetailedProjection>,
  db: Knex | Knex.Transaction,
  restrict: Restrict,
): Promise<void> {
  const entry = (key: string) => {
    let projection = stored.get(key);
    if (!projection)
      stored.set(key, (projection = { periods: [], anomalies: [], cancellations: [] }));
    return projection;
  };
  const rowsOf = (table: StreamIndexedTable) =>
    restrict(fromStreamIndexed(db, table), table).select(`${table}.*`);
  const periods: StoredPeriodRow[] = await rowsOf('periods');
  for (const p of periods) {
    entry(keyOf(p)).periods.push({
      startTime: Number(p.start_time),
      endTime: p.end_time === null ? null : Number(p.end_time),
      status: p.status,
      startEventKey: p.start_event_key,
      endEventKey: p.end_event_key,
    });
  }
  const anomalies: StoredAnomalyRow[] = await rowsOf('anomalies');
  for (const a of anomalies) {
    entry(keyOf(a)).anomalies.push({
      code: a.code,
      eventKey: a.event_key,
      eventTime: Number(a.event_time),
      action: a.action,
    });
  }
  const cancellations: CancellationRow[] = await rowsOf('stream_cancellations');
  for (const c of cancellations) {
    entry(keyOf(c)).cancellations.push({
      cancel: {
        action: c.target_action === 'start' ? 'cancel_start' : 'cancel_stop',
        eventTime: Number(c.cancel_time),
        dedupeKey: c.cancel_key,
      },
      target: {
        action: c.target_action,
        eventTime: Number(c.target_time),
        dedupeKey: c.target_key,
      },
    });
  }
}

/** Order-insensitive equality of two projections of one stream. */
export function sameProjection(
  a: DetailedProjection | undefined,
  b: DetailedProjection | undefined,
): boolean {
  // Different sizes settle it without serializing anything: the common case
  // of a rebuild into an empty read model.
  const sizes = (p: DetailedProjection | undefined) =>
    [p?.periods.length ?? 0, p?.anomalies.length ?? 0, p?.cancellations.length ?? 0].join();
  if (sizes(a) !== sizes(b)) return false;
  const canonical = (p: DetailedProjection | undefined) =>
    JSON.stringify({
      periods: (p?.periods ?? []).map((x) => JSON.stringify(x)).sort(),
      anomalies: (p?.anomalies ?? []).map((x) => JSON.stringify(x)).sort(),
      cancellations: (p?.cancellations ?? [])
        .map((x) => JSON.stringify([x.cancel, x.target]))
        .sort(),
    });
  return canonical(a) === canonical(b);
}
