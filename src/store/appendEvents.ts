import type { Knex } from 'knex';
import type { ValidEvent } from '../domain';
import type { AcceptedItem } from './classifyItems';
import { chunk } from './streamKeys';
import type { Source } from './types';
import {
  chunkBySize,
  KEYS_PER_STATEMENT,
  PAYLOAD_BYTES_PER_INSERT,
  rowsPerInsert,
} from './statementSizes';

export interface AppendResult {
  /** The events that were new to the log. */
  appended: ValidEvent[];
  /** Items whose dedupe key is already in the log (or earlier in the batch). */
  duplicates: number;
  /** Of those, the ones whose event_id the log holds for different content. */
  eventIdConflicts: number;
}

interface StoredIdentity {
  dedupe_key: string;
  up_id: string;
  medication_name: string;
  action: string;
  event_time: number | string;
}

function sameEvent(
  event: ValidEvent,
  stored: { upId: string; medicationName: string; action: string; eventTime: number },
): boolean {
  return (
    event.upId === stored.upId &&
    event.medicationName === stored.medicationName &&
    event.action === stored.action &&
    event.eventTime === stored.eventTime
  );
}

/**
 * Appends the events whose dedupe key is not yet in the log. A key already
 * present is a duplicate, as the semantics say, even when it is a device
 * event_id the log holds for different content: the logged event stands.
 * Those are counted apart, so that an operator can see a device reusing ids.
 */
export async function appendEvents(
  trx: Knex.Transaction,
  items: readonly AcceptedItem[],
  context: { source: Source; receivedAt: number },
): Promise<AppendResult> {
  const known = new Map<string, ValidEvent>();
  for (const part of chunk([...new Set(items.map((i) => i.event.dedupeKey))], KEYS_PER_STATEMENT)) {
    const rows: StoredIdentity[] = await trx('events')
      .select('dedupe_key', 'up_id', 'medication_name', 'action', 'event_time')
      .whereIn('dedupe_key', part);
    for (const row of rows) {
      known.set(row.dedupe_key, {
        dedupeKey: row.dedupe_key,
        upId: row.up_id,
        medicationName: row.medication_name,
        action: row.action as ValidEvent['action'],
        eventTime: Number(row.event_time),
        eventId: null,
      });
    }
  }

  const appended: AcceptedItem[] = [];
  let duplicates = 0;
  let eventIdConflicts = 0;
  for (const item of items) {
    const existing = known.get(item.event.dedupeKey);
    if (existing === undefined) {
      known.set(item.event.dedupeKey, item.event);
      appended.push(item);
    } else {
      duplicates++;
      if (!sameEvent(item.event, existing)) eventIdConflicts++;
    }
  }
  const parts = chunkBySize(
    appended,
    rowsPerInsert(trx),
    PAYLOAD_BYTES_PER_INSERT,
    (i) => i.rawBytes,
  );
  for (const part of parts) await trx('events').insert(part.map((i) => eventRow(i, context)));
  return { appended: appended.map((i) => i.event), duplicates, eventIdConflicts };
}

/** A row of the event log, as the write path appends it. */
export interface EventLogRow {
  dedupe_key: string;
  up_id: string;
  medication_name: string;
  action: string;
  event_time: number;
  received_at: number;
  source: Source;
  event_id: string | null;
  raw_payload: string;
}

/** The log row of an accepted item, exactly as the write path appends it (the benchmark loads logs with it). */
export function eventRow(
  item: Pick<AcceptedItem, 'event' | 'raw'>,
  context: { source: Source; receivedAt: number },
): EventLogRow {
  const { event } = item;
  return {
    dedupe_key: event.dedupeKey,
    up_id: event.upId,
    medication_name: event.medicationName,
    action: event.action,
    event_time: event.eventTime,
    received_at: context.receivedAt,
    source: context.source,
    event_id: event.eventId,
    raw_payload: item.raw,
  };
}
