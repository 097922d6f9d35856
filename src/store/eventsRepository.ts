import type { Knex } from 'knex';
import { compareEvents, compareUtf8, type Action } from '../domain';
import type { EventRow, Source } from './types';

interface StoredEvent {
  seq: number | string;
  up_id: string;
  medication_name: string;
  action: Action;
  event_time: number | string;
  received_at: number | string;
  source: Source;
  event_id: string | null;
  dedupe_key: string;
}

/** A patient's accepted events, by medication name, each stream in stream order. */
export async function listPatientEvents(db: Knex, upId: string): Promise<EventRow[]> {
  const rows: StoredEvent[] = await db('events')
    .select(
      'seq',
      'up_id',
      'medication_name',
      'action',
      'event_time',
      'received_at',
      'source',
      'event_id',
      'dedupe_key',
    )
    .where('up_id', upId);
  return rows
    .map((r) => ({
      seq: Number(r.seq),
      upId: r.up_id,
      medicationName: r.medication_name,
      action: r.action,
      eventTime: Number(r.event_time),
      receivedAt: Number(r.received_at),
      source: r.source,
      eventId: r.event_id,
      dedupeKey: r.dedupe_key,
    }))
    .sort((a, b) => compareUtf8(a.medicationName, b.medicationName) || compareEvents(a, b));
}
