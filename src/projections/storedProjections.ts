import type { Knex } from 'knex';
import type { Anomaly, DetailedProjection, Period, StreamKey } from '../domain';
import { fromStreamIndexed } from '../store/streamIndex';
import { chunk, streamTuples } from '../store/streamKeys';
import { STREAMS_PER_STATEMENT } from '../store/statementSizes';

interface PeriodRow {
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

interface AnomalyRow {
  up_id: string;
  medication_name: string;
  code: Anomaly['code'];
  event_key: string;
  event_time: number | string;
  action: Anomaly['action'];
}

const keyOf = (r: { up_id: string; medication_name: string }) =>
  JSON.stringify([r.up_id, r.medication_name]);

/** The stored periods, anomalies and cancellations of `streams`, shaped like the projector's output. */
export async function loadStoredProjections(
  db: Knex | Knex.Transaction,
  streams: readonly StreamKey[],
): Promise<Map<string, DetailedProjection>> {
  const stored = new Map<string, DetailedProjection>();
  const entry = (key: string) => {
    let projection = stored.get(key);
    if (!projection)
      stored.set(key, (projection = { periods: [], anomalies: [], cancellations: [] }));
    return projection;
  };
  for (const part of chunk(streams, STREAMS_PER_STATEMENT)) {
    const tuples = streamTuples(part);
    const periods: PeriodRow[] = await fromStreamIndexed(db, 'periods')
      .whereIn(['up_id', 'medication_name'], tuples)
      .orderBy('id');
    for (const p of periods) {
      entry(keyOf(p)).periods.push({
        startTime: Number(p.start_time),
        endTime: p.end_time === null ? null : Number(p.end_time),
        status: p.status,
        startEventKey: p.start_event_key,
        endEventKey: p.end_event_key,
      });
    }
    const anomalies: AnomalyRow[] = await fromStreamIndexed(db, 'anomalies')
      .whereIn(['up_id', 'medication_name'], tuples)
      .orderBy('id');
    for (const a of anomalies) {
      entry(keyOf(a)).anomalies.push({
        code: a.code,
        eventKey: a.event_key,
        eventTime: Number(a.event_time),
        action: a.action,
      });
    }
    const cancellations: CancellationRow[] = await fromStreamIndexed(db, 'stream_cancellations')
      .whereIn(['up_id', 'medication_name'], tuples)
      .orderBy('id');
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
  return stored;
}

/** Order-insensitive equality of two projections of one stream. */
export function sameProjection(
  a: DetailedProjection | undefined,
  b: DetailedProjection | undefined,
): boolean {
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
