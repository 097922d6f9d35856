import type { Knex } from 'knex';
import { streamKeyOfIds, type StreamKey } from '../domain';

export interface StreamScope {
  upId?: string;
  medicationName?: string;
}

function scoped<T extends Knex.QueryBuilder>(query: T, scope: StreamScope): T {
  if (scope.upId !== undefined) query.where('up_id', scope.upId);
  if (scope.medicationName !== undefined) query.where('medication_name', scope.medicationName);
  return query;
}

/**
 * Every stream of the log within the scope, a page at a time (keyset paging
 * over the stream index), so memory stays flat however large the log is.
 */
export async function* streamPages(
  db: Knex,
  scope: StreamScope,
  pageSize: number,
): AsyncGenerator<StreamKey[]> {
  let after: StreamKey | null = null;
  for (;;) {
    const query = scoped(db('events').distinct('up_id', 'medication_name'), scope)
      .orderBy([{ column: 'up_id' }, { column: 'medication_name' }])
      .limit(pageSize);
    if (after !== null) {
      const { upId, medicationName } = after;
      query.where((w) => {
        w.where('up_id', '>', upId).orWhere((same) => {
          same.where('up_id', upId).where('medication_name', '>', medicationName);
        });
      });
    }
    const rows: { up_id: string; medication_name: string }[] = await query;
    if (rows.length === 0) return;
    const page = rows.map((r) => ({ upId: r.up_id, medicationName: r.medication_name }));
    yield page;
    after = page[page.length - 1]!;
    if (rows.length < pageSize) return;
  }
}

/** How much the scope holds, for progress and ETA. */
export async function countScope(
  db: Knex,
  scope: StreamScope,
): Promise<{ streams: number; events: number }> {
  const [events] = await scoped(db('events').count({ n: '*' }), scope);
  const streams = await scoped(
    db
      .from(scoped(db('events').distinct('up_id', 'medication_name'), scope).as('s'))
      .count({ n: '*' }),
    {},
  );
  return { streams: Number(streams[0]?.n ?? 0), events: Number(events?.n ?? 0) };
}

/** Streams that have stored periods or anomalies but no event in the log: always wrong. */
export async function orphanedStreams(db: Knex, scope: StreamScope): Promise<StreamKey[]> {
  const found = new Map<string, StreamKey>();
  // `streams` too: its bookkeeping row names the patient, and an erasure must leave no trace.
  for (const table of ['periods', 'anomalies', 'stream_cancellations', 'streams'] as const) {
    const query = db(table)
      .distinct(`${table}.up_id`, `${table}.medication_name`)
      .whereNotExists(
        db('events')
          .select(db.raw('1'))
          .whereRaw(`events.up_id = ${table}.up_id`)
          .whereRaw(`events.medication_name = ${table}.medication_name`),
      );
    if (scope.upId !== undefined) query.where(`${table}.up_id`, scope.upId);
    if (scope.medicationName !== undefined)
      query.where(`${table}.medication_name`, scope.medicationName);
    const rows: { up_id: string; medication_name: string }[] = await query;
    for (const r of rows) {
      found.set(streamKeyOfIds(r.up_id, r.medication_name), {
        upId: r.up_id,
        medicationName: r.medication_name,
      });
    }
  }
  return [...found.values()];
}
