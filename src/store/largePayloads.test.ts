import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends, type TestDatabase } from '../../test/support/backends';
import { decodeMessageBody } from '../broker/decode';
import { dialectOf } from './db';
import { writeLists } from './periodListWrites';
import { listRejectedEvents } from './rejectedEventsRepository';
import { MAX_STORED_ITEM_BYTES } from './statementSizes';
import { ingest } from './writePath';

/** The server's packet limit, or a size far past SQLite's statement needs. */
async function packetLimit(t: TestDatabase): Promise<number> {
  if (dialectOf(t.db) !== 'mysql') return 16 * 1024 * 1024;
  const [rows] = (await t.db.raw('SELECT @@max_allowed_packet AS bytes')) as [{ bytes: number }[]];
  return Number(rows[0]!.bytes);
}

describe.each(backends)('a batch of large raw payloads on $name', (backend) => {
  let t: TestDatabase;
  beforeEach(async (context) => {
    if (!backend.available) return context.skip();
    t = await backend.create();
  });
  afterEach(async () => t?.destroy());

  // Unknown extra fields are kept in the raw payload, so a batch of valid
  // events can together be larger than one statement may be.
  it('given 100 events whose payloads together exceed the packet limit, when ingested as one batch, then all are appended', async () => {
    const limit = await packetLimit(t);
    const note = 'x'.repeat(Math.ceil((limit * 1.25) / 100));
    const items = Array.from({ length: 100 }, (_, i) => ({
      payload: {
        up_id: `big-${i}`,
        medication_name: 'Heparin',
        action: 'start',
        event_time: '2021-01-01T00:00:00Z',
        note,
      },
    }));

    const result = await ingest(t.db, items, { source: 'amqp' });

    expect(result.accepted).toBe(100);
    const [count] = await t.db('events').count({ n: '*' });
    expect(Number(count!.n)).toBe(100);
    const [stored] = await t.db('events').where({ up_id: 'big-99' }).select('raw_payload');
    expect(JSON.parse(String(stored!.raw_payload)).note).toBe(note);
  });

  it('given 100 rejected items whose raw bytes together exceed the packet limit, when ingested as one batch, then all are recorded', async () => {
    const limit = await packetLimit(t);
    const raw = Buffer.alloc(Math.ceil((limit * 1.25) / 100), 0xff);
    const items = Array.from({ length: 100 }, () => decodeMessageBody(raw, raw.length));

    const result = await ingest(t.db, items, { source: 'amqp' });

    expect(result.rejected.map((r) => r.reason)).toEqual(Array(100).fill('invalid_utf8'));
    const rows = await listRejectedEvents(t.db, { limit: 100 });
    expect(rows).toHaveLength(100);
    expect(rows[0]!.rawPayload.equals(raw)).toBe(true);
  });

  it('given 100 patients whose rendered lists together exceed the packet limit, when stored and then overwritten, then every list is kept whole', async () => {
    const limit = await packetLimit(t);
    const list = (c: string) => JSON.stringify([c.repeat(Math.ceil((limit * 1.25) / 100))]);
    const upIds = Array.from({ length: 100 }, (_, i) => `long-stay-${i}`);

    await t.db.transaction((trx) =>
      writeLists(
        trx,
        upIds.map((up_id) => ({ up_id, periods_json: list('a') })),
        new Set(),
      ),
    );
    await t.db.transaction((trx) =>
      writeLists(
        trx,
        upIds.map((up_id) => ({ up_id, periods_json: list('b') })),
        new Set(upIds),
      ),
    );

    const rows: { periods_json: string | Buffer }[] = await t
      .db('patient_period_lists')
      .select('periods_json');
    expect(rows).toHaveLength(100);
    expect(rows.every((r) => String(r.periods_json) === list('b'))).toBe(true);
  });

  it('given one item larger than the packet limit among valid ones, when ingested, then it is rejected as payload_too_large with its first bytes and the others are appended', async () => {
    const limit = await packetLimit(t);
    const event = (upId: string, note = '') => ({
      up_id: upId,
      medication_name: 'Heparin',
      action: 'start',
      event_time: '2021-01-01T00:00:00Z',
      note,
    });
    const huge = event('huge', 'x'.repeat(limit + 1024 * 1024));
    const items = [event('small-1'), huge, event('small-2')].map((payload) => ({ payload }));

    const result = await ingest(t.db, items, { source: 'http' });

    expect(result.accepted).toBe(2);
    expect(result.rejected.map((r) => [r.index, r.reason])).toEqual([[1, 'payload_too_large']]);
    const [row] = await listRejectedEvents(t.db, { limit: 1 });
    expect(row!.rawPayload.length).toBe(MAX_STORED_ITEM_BYTES);
    expect(
      row!.rawPayload.equals(Buffer.from(JSON.stringify(huge)).subarray(0, MAX_STORED_ITEM_BYTES)),
    ).toBe(true);
  });
});
