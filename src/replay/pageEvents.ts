import type { Knex } from 'knex';
import { streamKeyOfIds, type Action, type OrderedEvent, type StreamKey } from '../domain';
import { fromStreamIndexed } from '../store/streamIndex';
import { keysOf, rangeOf, whereInRange } from './streamRange';

interface StoredEventRow {
  up_id: string;
  medication_name: string;
  action: string;
  event_time: number | string;
  dedupe_key: string;
}

/**
 * What the projector needs of every event of a page's streams, grouped by
 * stream key, read with one range scan over the stream index. A stream that
 * appeared inside the range after the page was listed is left out: the page
 * did not lock it.
 */
export async function loadPageEvents(
  db: Knex | Knex.Transaction,
  page: readonly StreamKey[],
): Promise<Map<string, OrderedEvent[]>> {
  const byStream = new Map<string, OrderedEvent[]>();
  if (page.length === 0) return byStream;
  const wanted = keysOf(page);
  const rows: StoredEventRow[] = await whereInRange(
    fromStreamIndexed(db, 'events').select(
      'up_id',
      'medication_name',
      'action',
      'event_time',
      'dedupe_key',
    ),
    'events',
    rangeOf(page),
  );
  for (const row of rows) {
    const key = streamKeyOfIds(row.up_id, row.medication_name);
    if (!wanted.has(key)) continue;
    let list = byStream.get(key);
    if (list === undefined) byStream.set(key, (list = []));
    list.push({
      action: row.action as Action,
      eventTime: Number(row.event_time),
      dedupeKey: row.dedupe_key,
    });
  }
  return byStream;
}
