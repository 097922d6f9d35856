import type { Knex } from 'knex';
import type { Anomaly, Period, Projection, StreamKey } from '../domain';
import { chunk, streamTuples } from '../store/streamKeys';

const STREAMS_PER_STATEMENT = 200;

interface PeriodRow {
  up_id: string;
  medication_name: string;
  start_time: number | string;
  end_time: number | string | null;
  status: Period['status'];
  start_event_key: string;
  end_event_key: string | null;
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

/** The stored periods and anomalies of `streams`, shaped like the projector's output. */
export async function loadStoredProjections(
  db: Knex | Knex.Transaction,
  streams: readonly StreamKey[],
): Promise<Map<string, Projection>> {
  const stored = new Map<string, Projection>();
  const entry = (key: string) => {
    let projection = stored.get(key);
    if (!projection) stored.set(key, (projection = { periods: [], anomalies: [] }));
    return projection;
  };
  for (const part of chunk(streams, STREAMS_PER_STATEMENT)) {
    const tuples = streamTuples(part);
    const periods: PeriodRow[] = await db('periods')
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
    const anomalies: AnomalyRow[] = await db('anomalies')
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
  }
  return stored;
}

/** Order-insensitive equality of two projections of one stream. */
export function sameProjection(a: Projection | undefined, b: Projection | undefined): boolean {
  const canonical = (p: Projection | undefined) =>
    JSON.stringify({
      periods: (p?.periods ?? []).map((x) => JSON.stringify(x)).sort(),
      anomalies: (p?.anomalies ?? []).map((x) => JSON.stringify(x)).sort(),
    });
  return canonical(a) === canonical(b);
}
