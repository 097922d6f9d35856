import { afterEach, describe, expect, it } from 'vitest';
import { connectBroker, type BrokerConnection } from '../broker/connection';
import {
  listenForPeriodChanges,
  listenerQueueName,
  publishPeriodChanges,
} from '../broker/periodChanges';
import { PatientPeriodsCache } from '../readCache/patientPeriodsCache';
import { sqliteBackend } from '../../test/support/backends';
import {
  deleteTopology,
  shouldRunBrokerTests,
  uniqueBrokerOptions,
  waitFor,
} from '../../test/support/broker';
import { TEST_CONFIG } from '../../test/support/testApp';
import { buildApp, type App } from './app';

const event = (action: string, time: string) => ({
  up_id: 'cached',
  medication_name: 'Iron',
  action,
  event_time: time,
});
const periodsOf = async (app: App) =>
  (await app.inject({ url: '/api/v1/medication_periods/cached' })).json<{
    periods: { status: string }[];
  }>().periods;

describe('the read cache behind GET /api/v1/medication_periods', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('given a cached patient, when the same process POSTs a change, then the very next GET sees it', async () => {
    const t = await sqliteBackend.create();
    const app = buildApp({
      db: t.db,
      config: TEST_CONFIG,
      readCache: new PatientPeriodsCache({ maxPatients: 10, ttlMs: 60_000 }),
    });
    cleanup.push(
      () => t.destroy(),
      () => app.close(),
    );
    await app.inject({
      method: 'POST',
      url: '/api/v1/events',
      payload: [event('start', '2024-01-01T00:00:00Z')],
    });
    expect(await periodsOf(app)).toEqual([expect.objectContaining({ status: 'active' })]);
    await app.inject({
      method: 'POST',
      url: '/api/v1/events',
      payload: [event('stop', '2024-01-01T01:00:00Z')],
    });
    expect(await periodsOf(app)).toEqual([expect.objectContaining({ status: 'completed' })]);
  });

  it('given a cached patient, then a hit answers the very bytes and headers of a miss, and of an app without cache', async () => {
    const t = await sqliteBackend.create();
    const cached = buildApp({
      db: t.db,
      config: TEST_CONFIG,
      readCache: new PatientPeriodsCache({ maxPatients: 10, ttlMs: 60_000 }),
    });
    const uncached = buildApp({ db: t.db, config: TEST_CONFIG });
    cleanup.push(
      () => t.destroy(),
      () => cached.close(),
      () => uncached.close(),
    );
    await cached.inject({
      method: 'POST',
      url: '/api/v1/events',
      payload: [event('start', '2024-01-01T00:00:00Z'), event('stop', '2024-01-01T01:00:00Z')],
    });
    const url = '/api/v1/medication_periods/cached';
    const [miss, hit, plain, viaFilter] = [
      await cached.inject(url),
      await cached.inject(url),
      await uncached.inject(url),
      // Same periods through the ordinary (filtered) path, which Fastify serializes itself.
      await uncached.inject(`${url}?status=completed`),
    ];
    for (const response of [miss, hit, plain, viaFilter]) {
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(response.body).toBe(miss.body);
    }
    expect(miss.json()).toEqual({
      up_id: 'cached',
      periods: [
        {
          medication_name: 'Iron',
          start_time: '2024-01-01T00:00:00.000Z',
          end_time: '2024-01-01T01:00:00.000Z',
          status: 'completed',
        },
      ],
    });
    // A filtered read, even in the caching app, goes to the periods table: it sees the same rows.
    const filtered = await cached.inject(`${url}?status=active`);
    expect(filtered.json()).toEqual({ up_id: 'cached', periods: [] });
    expect((await cached.inject(`${url}?status=completed`)).body).toBe(miss.body);
  });

  it.skipIf(!shouldRunBrokerTests())(
    'given two API processes sharing a database, when one writes, then the other drops its cached copy on the broker notice, long before the TTL',
    async () => {
      const t = await sqliteBackend.create();
      const options = uniqueBrokerOptions('changes');
      const connect = (listen: boolean): Promise<BrokerConnection> =>
        connectBroker({
          options,
          periodChanges: { listenerQueue: listen ? listenerQueueName(options) : undefined },
        });
      const [writerSide, readerSide] = [await connect(false), await connect(true)];
      cleanup.push(
        () => t.destroy(),
        () => deleteTopology(options).catch(() => undefined),
        () => writerSide.close(),
        () => readerSide.close(),
      );
      const readerCache = new PatientPeriodsCache({ maxPatients: 10, ttlMs: 600_000 });
      await listenForPeriodChanges(
        readerSide,
        { onChange: (ids) => readerCache.invalidate(ids), onReconnect: () => readerCache.clear() },
        { debug() {}, info() {}, warn() {}, error() {} },
      );
      const silent = { debug() {}, info() {}, warn() {}, error() {} };
      const writer = buildApp({
        db: t.db,
        config: TEST_CONFIG,
        writeObserver: {
          onCommitted: (w) => void publishPeriodChanges(writerSide, w.changedPatients, silent),
        },
      });
      const reader = buildApp({ db: t.db, config: TEST_CONFIG, readCache: readerCache });
      cleanup.push(
        () => writer.close(),
        () => reader.close(),
      );

      await writer.inject({
        method: 'POST',
        url: '/api/v1/events',
        payload: [event('start', '2024-01-01T00:00:00Z')],
      });
      expect(await periodsOf(reader)).toEqual([expect.objectContaining({ status: 'active' })]); // now cached
      await writer.inject({
        method: 'POST',
        url: '/api/v1/events',
        payload: [event('stop', '2024-01-01T01:00:00Z')],
      });
      await waitFor(
        'the reader to see the stop',
        async () => (await periodsOf(reader))[0]?.status === 'completed',
        {
          timeoutMs: 5_000,
        },
      );
    },
  );
});
