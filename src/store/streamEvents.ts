import type { Knex } from 'knex';
import { streamKeyOfIds, type Action, type OrderedEvent, type StreamKey } from '../domain';
import { fromStreamIndexed } from './streamIndex';
import { chunk, streamTuples } from './streamKeys';
import { STREAMS_PER_STATEMENT } from './statementSizes';

interface StreamEventRow {
  up_id: string;
  medication_name: string;
  action: string;
  event_time: number | string;
  dedupe_key: string;
}

/** What the projector needs of each event in the log, grouped by stream key (JSON of the pair). */
export async function loadStreamEvents(
  db: Knex | Knex.Transaction,
  streams: readonly StreamKey[],
  options: { receivedBy?: number } = {},
): Promise<Map<string, OrderedEvent[]>> {
  const byStream = new Map<string, OrderedEvent[]>();
  for (const part of chunk(streams, STREAMS_PER_STATEMENT)) {
    const query = fromStreamIndexed(db, 'events')
      .select('up_id', 'medication_name', 'action', 'event_time', 'dedupe_key')
      .whereIn(['up_id', 'medication_name'], streamTuples(part));
    if (options.receivedBy !== undefined) query.where('received_at', '<=', options.receivedBy);
    const rows: StreamEventRow[] = await query;
    for (const row of rows) {
      const key = streamKeyOfIds(row.up_id, row.medication_name);
      const list = byStream.get(key) ?? [];
      list.push({
        action: row.action as Action,
        eventTime: Number(row.event_time),
        dedupeKey: row.dedupe_key,
      });
      byStream.set(key, list);
    }
  }
  return byStream;
}
