import type { Knex } from 'knex';
import type { RejectedEventRow, Source } from './types';

export interface RejectedEventsPage {
  limit: number;
  /** Only rows with an id below this one (the cursor of the previous page). */
  beforeId?: number;
  source?: Source;
  reason?: string;
}

interface StoredRejectedEvent {
  id: number | string;
  received_at: number | string;
  source: Source;
  reason: string;
  field: string | null;
  message: string;
  raw_payload: Buffer | string;
}

/** Rejected events, newest first. */
export async function listRejectedEvents(
  db: Knex,
  page: RejectedEventsPage,
): Promise<RejectedEventRow[]> {
  const query = db<StoredRejectedEvent>('rejected_events')
    .select('id', 'received_at', 'source', 'reason', 'field', 'message', 'raw_payload')
    .orderBy('id', 'desc')
    .limit(page.limit);
  if (page.beforeId !== undefined) query.where('id', '<', page.beforeId);
  if (page.source !== undefined) query.where('source', page.source);
  if (page.reason !== undefined) query.where('reason', page.reason);
  const rows: StoredRejectedEvent[] = await query;
  return rows.map((r) => ({
    id: Number(r.id),
    receivedAt: Number(r.received_at),
    source: r.source,
    reason: r.reason,
    field: r.field,
    message: r.message,
    rawPayload: Buffer.isBuffer(r.raw_payload) ? r.raw_payload : Buffer.from(r.raw_payload, 'utf8'),
  }));
}
