import type { Knex } from 'knex';
import { rejection, type ValidEvent } from '../domain';
import type { AcceptedItem, RejectedItemWithRaw } from './classifyItems';
import { chunk } from './streamKeys';
import type { Source } from './types';
import {
  chunkBySize,
  KEYS_PER_STATEMENT,
  PAYLOAD_BYTES_PER_INSERT,
  ROWS_PER_INSERT,
} from './statementSizes';

export interface AppendResult {
  /** The events that were new to the log. */
  appended: ValidEvent[];
  duplicates: number;
  /** Items whose event_id is already in the log (or earlier in the batch) for a different event. */
  conflicts: RejectedItemWithRaw[];
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

function conflict(item: AcceptedItem): RejectedItemWithRaw {
  return {
    index: item.index,
    raw: Buffer.from(item.raw, 'utf8'),
    rejection: rejection(
      'event_id_conflict',
      'event_id',
      'event_id is already in the log for a different event; a correction must be sent as new events',
    ),
  };
}

/**
 * Appends the events whose dedupe key is not yet in the log. A key already
 * present is a duplicate, unless it is a device event_id carrying different
 * content, which is a conflict the caller records as a rejection.
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

  const appended: ValidEvent[] = [];
  const rows: EventLogRow[] = [];
  const conflicts: RejectedItemWithRaw[] = [];
  let duplicates = 0;
  for (const item of items) {
    const existing = known.get(item.event.dedupeKey);
    if (existing === undefined) {
      known.set(item.event.dedupeKey, item.event);
      appended.push(item.event);
      rows.push(eventRow(item, context));
    } else if (sameEvent(item.event, existing)) {
      duplicates++;
    } else {
      conflicts.push(conflict(item));
    }
  }
  const parts = chunkBySize(rows, ROWS_PER_INSERT, PAYLOAD_BYTES_PER_INSERT, (row) =>
    Buffer.byteLength(row.raw_payload),
  );
  for (const part of parts) await trx('events').insert(part);
  return { appended, duplicates, conflicts };
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
