import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUZZ_SEED, messageBytes, prototypeIsClean } from '../../test/fuzz/arbitraries';
import { mariadbBackend, sqliteBackend, type TestDatabase } from '../../test/support/backends';
import {
  deleteTopology,
  publishRaw,
  readyCount,
  shouldRunBrokerTests,
  uniqueBrokerOptions,
  waitFor,
} from '../../test/support/broker';
import { REJECTION_REASONS } from '../domain';
import { ingest } from '../store/writePath';
import { connectBroker } from './connection';
import { startConsumer } from './consumer';
import { decodeMessageBody } from './decode';
import { DEFAULT_BROKER_OPTIONS } from './options';

async function countRows(db: TestDatabase['db'], table: string): Promise<number> {
  const [row] = await db(table).count({ n: '*' });
  return Number(row?.n ?? 0);
}

describe('broker message bodies: decodeMessageBody + ingest, random bytes (SQLite)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await sqliteBackend.create();
  });
  afterAll(() => t.destroy());

  it('ends every message accepted, duplicate or rejected with its exact bytes kept; nothing throws', async () => {
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(messageBytes(), { minLength: 1, maxLength: 10 }),
        async (bodies) => {
          cases += 1;
          const before = {
            events: await countRows(t.db, 'events'),
            rejected: await countRows(t.db, 'rejected_events'),
          };
          const result = await ingest(
            t.db,
            bodies.map((body) => decodeMessageBody(body, DEFAULT_BROKER_OPTIONS.maxMessageBytes)),
            { source: 'amqp' },
          );
          expect(result.accepted + result.duplicates + result.rejected.length).toBe(bodies.length);
          expect(await countRows(t.db, 'events')).toBe(before.events + result.accepted);
          const rows: { raw_payload: Buffer }[] = await t
            .db('rejected_events')
            .orderBy('id')
            .offset(before.rejected)
            .select('raw_payload');
          expect(rows).toHaveLength(result.rejected.length);
          rows.forEach((row, i) => {
            const r = result.rejected[i]!;
            expect(REJECTION_REASONS).toContain(r.reason);
            // Exact bytes for what could not be decoded; the JSON text as received otherwise.
            expect(Buffer.from(row.raw_payload).equals(bodies[r.index]!)).toBe(true);
          });
          expect(prototypeIsClean()).toBe(true);
        },
      ),
      { seed: FUZZ_SEED, numRuns: 150 },
    );
    console.log(`fuzz: ${cases} cases (broker bodies, sqlite)`);
  }, 120_000);
});

describe.skipIf(!shouldRunBrokerTests() || !mariadbBackend.available)(
  'random message bodies through a real RabbitMQ into MariaDB',
  () => {
    it('counts every published message once and dead-letters none', async () => {
      const bodies = fc.sample(messageBytes(), { seed: FUZZ_SEED, numRuns: 200 });
      const t = await mariadbBackend.create();
      const options = uniqueBrokerOptions('fuzz', { batchWindowMs: 20 });
      const totals = { accepted: 0, duplicates: 0, rejected: 0 };
      await (await connectBroker({ options })).close();
      const consumer = await startConsumer({
        options,
        write: async (items) => {
          const result = await ingest(t.db, items, { source: 'amqp' });
          totals.accepted += result.accepted;
          totals.duplicates += result.duplicates;
          totals.rejected += result.rejected.length;
          return result;
        },
      });
      try {
        await publishRaw(options, bodies);
        await waitFor(
          'every message handled',
          () => totals.accepted + totals.duplicates + totals.rejected === bodies.length,
          { timeoutMs: 60_000 },
        );
        expect(await countRows(t.db, 'rejected_events')).toBe(totals.rejected);
        expect(await countRows(t.db, 'events')).toBe(totals.accepted);
        expect(await readyCount(options.deadLetterQueue)).toBe(0);
        console.log(`fuzz: ${bodies.length} cases (real RabbitMQ, mariadb)`);
      } finally {
        await consumer.stop();
        await deleteTopology(options).catch(() => undefined);
        await t.destroy();
      }
    }, 120_000);
  },
);
