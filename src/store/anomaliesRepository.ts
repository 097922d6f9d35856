import type { Knex } from 'knex';
import { compareEvents, compareUtf8, type Action, type AnomalyCode } from '../domain';
import type { AnomalyRow } from './types';

interface StoredAnomaly {
  up_id: string;
  medication_name: string;
  code: AnomalyCode;
  event_key: string;
  event_time: number | string;
  action: Action;
}

/** A patient's anomalies, by medication name, then in stream order. */
export async function listAnomalies(db: Knex, upId: string): Promise<AnomalyRow[]> {
  const rows: StoredAnomaly[] = await db('anomalies')
    .select('up_id', 'medication_name', 'code', 'event_key', 'event_time', 'action')
    .where('up_id', upId);
  return rows
    .map((r) => ({
      upId: r.up_id,
      medicationName: r.medication_name,
      code: r.code,
      eventKey: r.event_key,
      eventTime: Number(r.event_time),
      action: r.action,
    }))
    .sort(
      (a, b) =>
        compareUtf8(a.medicationName, b.medicationName) ||
        compareEvents({ ...a, dedupeKey: a.eventKey }, { ...b, dedupeKey: b.eventKey }),
    );
}
