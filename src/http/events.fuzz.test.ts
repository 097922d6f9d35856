import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FUZZ_SEED, itemText, prototypeIsClean } from '../../test/fuzz/arbitraries';
import type { Backend } from '../../test/support/backends';
import { describeEachBackend, startTestApp, type TestApp } from '../../test/support/testApp';
import { REJECTION_REASONS, validateEvent } from '../domain';

// Bounded so CI stays fast; MariaDB gets the smaller run.
const RUNS: Record<Backend['name'], number> = { sqlite: 120, mariadb: 25 };
const TOKEN = 'fuzz-token-0123456789abcdef';
const auth = { authorization: `Bearer ${TOKEN}` };

async function countRows(t: TestApp, table: string): Promise<number> {
  const [row] = await t.database.db(table).count({ n: '*' });
  return Number(row?.n ?? 0);
}

/** The accepted event as the API must return it, computed from the sent item alone. */
function expectedEvent(item: unknown) {
  const result = validateEvent(item);
  if (!result.ok) return null;
  const e = result.event;
  return {
    upId: e.upId,
    listed: {
      medication_name: e.medicationName,
      action: e.action,
      event_time: new Date(e.eventTime).toISOString(),
      event_id: e.eventId,
      dedupe_key: e.dedupeKey,
    },
  };
}

describeEachBackend('POST /api/v1/events under random hostile items', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend, { security: { apiTokens: [TOKEN] } });
  });
  afterAll(() => t?.close());

  it('ends every item accepted (and readable back exactly) or rejected with a reason; never a 500', async () => {
    let cases = 0;
    // The event the log holds under each dedupe key, across cases (the database is shared).
    const logged = new Map<string, NonNullable<ReturnType<typeof expectedEvent>>>();
    await fc.assert(
      fc.asyncProperty(fc.array(itemText(), { minLength: 1, maxLength: 12 }), async (texts) => {
        cases += 1;
        const before = {
          events: await countRows(t, 'events'),
          rejected: await countRows(t, 'rejected_events'),
        };
        const response = await t.app.inject({
          method: 'POST',
          url: '/api/v1/events',
          headers: { ...auth, 'content-type': 'application/json' },
          payload: `[${texts.join(',')}]`,
        });
        expect(response.statusCode, response.body).toBe(200);
        const result = response.json<{
          accepted: number;
          duplicates: number;
          rejected: { index: number; reason: string; message: string }[];
        }>();
        // Nothing lost: every item is counted once.
        expect(result.accepted + result.duplicates + result.rejected.length).toBe(texts.length);
        expect(await countRows(t, 'events')).toBe(before.events + result.accepted);
        expect(await countRows(t, 'rejected_events')).toBe(
          before.rejected + result.rejected.length,
        );
        for (const r of result.rejected) {
          expect(REJECTION_REASONS).toContain(r.reason);
          expect(r.message.length).toBeGreaterThan(0);
        }
        const items = texts.map((text) => JSON.parse(text) as unknown);
        // Rejected items are stored as sent (re-serialized), newest first in the listing.
        if (result.rejected.length > 0) {
          const listed = await t.app.inject({
            url: `/api/v1/rejected_events?limit=${result.rejected.length}`,
            headers: auth,
          });
          const raws = listed.json<{ rejected_events: { raw_payload: string }[] }>()
            .rejected_events;
          expect(raws.map((r) => r.raw_payload).reverse()).toEqual(
            result.rejected.map((r) => JSON.stringify(items[r.index])),
          );
        }
        // Accepted items come back exactly, by their id URL-encoded (slashes, Unicode, SQL, HTML);
        // a duplicate leaves the event first logged under its key as it was, even with other content.
        const reasons = new Map(result.rejected.map((r) => [r.index, r.reason]));
        for (const [index, item] of items.entries()) {
          const expected = expectedEvent(item);
          const reason = reasons.get(index);
          if (reason !== undefined) {
            expect(expected, `item ${index} is invalid`).toBeNull();
            continue;
          }
          expect(expected, `item ${index} was accepted`).not.toBeNull();
          if (expected === null) continue;
          const standing = logged.get(expected.listed.dedupe_key) ?? expected;
          logged.set(expected.listed.dedupe_key, standing);
          const url = `/api/v1/patients/${encodeURIComponent(standing.upId)}/events`;
          const got = await t.app.inject({ url, headers: auth });
          expect(got.statusCode, got.body).toBe(200);
          const body = got.json<{ up_id: string; events: Record<string, unknown>[] }>();
          expect(body.up_id).toBe(standing.upId);
          expect(body.events).toContainEqual(expect.objectContaining(standing.listed));
          const periods = await t.app.inject({
            url: `/api/v1/medication_periods/${encodeURIComponent(standing.upId)}`,
            headers: auth,
          });
          expect(periods.statusCode, periods.body).toBe(200);
        }
        expect(prototypeIsClean()).toBe(true);
      }),
      { seed: FUZZ_SEED, numRuns: RUNS[backend.name] },
    );
    console.log(`fuzz: ${cases} cases (POST items, ${backend.name})`);
    expect(cases).toBe(RUNS[backend.name]);
  }, 180_000);

  it('answers any bytes as a body with 200 or a reasoned 4xx, never a 500, recording nothing for a 4xx', async () => {
    let cases = 0;
    const bodies = fc.oneof(
      fc.uint8Array({ maxLength: 256 }).map((b) => Buffer.from(b)),
      fc.string({ unit: 'binary', maxLength: 256 }).map((s) => Buffer.from(s, 'utf8')),
      itemText().map((s) => Buffer.from(s, 'utf8')),
    );
    await fc.assert(
      fc.asyncProperty(bodies, async (payload) => {
        cases += 1;
        const before = await countRows(t, 'rejected_events');
        const response = await t.app.inject({
          method: 'POST',
          url: '/api/v1/events',
          headers: { ...auth, 'content-type': 'application/json' },
          payload,
        });
        expect([200, 400]).toContain(response.statusCode);
        const body = response.json<Record<string, unknown>>();
        if (response.statusCode === 400) {
          expect(['invalid_json', 'invalid_utf8', 'invalid_body']).toContain(body.error);
          expect(await countRows(t, 'rejected_events')).toBe(before);
        }
        expect(prototypeIsClean()).toBe(true);
      }),
      { seed: FUZZ_SEED, numRuns: RUNS[backend.name] * 2 },
    );
    console.log(`fuzz: ${cases} cases (raw bodies, ${backend.name})`);
  }, 120_000);
});
