import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectBroker } from '../../src/broker/connection';
import { startConsumer, type Consumer } from '../../src/broker/consumer';
import type { BrokerOptions } from '../../src/broker/options';
import { createDb } from '../../src/store/db';
import { ingest } from '../../src/store/writePath';
import type { WriteResult } from '../../src/store/types';
import { mariadbBackend, type TestDatabase } from '../support/backends';
import { startTcpProxy } from '../../src/chaos/tcpProxy';
import {
  RABBIT_URL,
  deleteTopology,
  publishRaw,
  readyCount,
  shouldRunBrokerTests,
  uniqueBrokerOptions,
  waitFor,
} from '../support/broker';
import { freePort } from '../../bench/support/children';
import { DEVICE_SAMPLE_PATH, WORKED_EXAMPLE, loadDeviceSample } from '../support/deviceSample';
import {
  eventCount,
  expectedPeriods,
  exited,
  generateEvents,
  REPO_ROOT,
  spawnService,
  storedPeriods,
} from './support';

const run = promisify(execFile);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe.skipIf(!shouldRunBrokerTests() || !mariadbBackend.available)(
  'device events through RabbitMQ into MariaDB',
  () => {
    let t: TestDatabase;
    let options: BrokerOptions;
    const consumers: Consumer[] = [];

    beforeEach(async () => {
      t = await mariadbBackend.create();
      options = uniqueBrokerOptions('e2e', { batchWindowMs: 20 });
      // Declare the topology before anything is published, as the service does at start.
      await (await connectBroker({ options })).close();
    });
    afterEach(async () => {
      await Promise.all(consumers.splice(0).map((c) => c.stop()));
      await deleteTopology(options).catch(() => undefined);
      await t?.destroy();
    });

    /** An in-process consumer on the real write path, adding up what each batch reported. */
    async function consume(): Promise<{
      totals: { accepted: number; duplicates: number; rejected: number };
    }> {
      const totals = { accepted: 0, duplicates: 0, rejected: 0 };
      const consumer = await startConsumer({
        options,
        write: async (items) => {
          const result: WriteResult = await ingest(t.db, items, { source: 'amqp' });
          totals.accepted += result.accepted;
          totals.duplicates += result.duplicates;
          totals.rejected += result.rejected.length;
          return result;
        },
      });
      consumers.push(consumer);
      return { totals };
    }

    const publishCli = (...args: string[]) =>
      run(
        process.execPath,
        [
          '--import',
          'tsx',
          'src/cli/publish.ts',
          ...args,
          '--url',
          RABBIT_URL,
          '--exchange',
          options.exchange,
          // The CLI declares this queue; the default name would leave a queue
          // outside the test's topology collecting its messages.
          '--queue',
          options.queue,
          '--no-progress',
        ],
        { cwd: REPO_ROOT },
      );

    it('turns the device sample published by the CLI into the worked example and 7 reasoned rejections', async () => {
      const { totals } = await consume();
      const published = await publishCli(DEVICE_SAMPLE_PATH);
      expect(published.stdout).toMatch(/published 24\b.*confirmed 24\b.*failed 0\b/s);
      await waitFor('24 messages handled', () => totals.accepted + totals.rejected === 24);
      expect(totals).toEqual({ accepted: 17, duplicates: 0, rejected: 7 });
      for (const [upId, expected] of Object.entries(WORKED_EXAMPLE)) {
        const rows = await t
          .db('periods')
          .where('up_id', upId)
          .orderBy([{ column: 'start_time' }, { column: 'medication_name' }]);
        expect(
          rows.map((r) => [
            r.medication_name,
            iso(Number(r.start_time)),
            r.end_time === null ? null : iso(Number(r.end_time)),
            r.status,
          ]),
        ).toEqual(expected);
      }
      const rejected = await t.db('rejected_events').select('reason', 'source');
      expect(rejected).toHaveLength(7);
      expect(new Set(rejected.map((r) => r.source))).toEqual(new Set(['amqp']));
      expect(rejected.map((r) => r.reason).sort()).toEqual(
        [
          'invalid_action',
          'invalid_event_time',
          'missing_action',
          'missing_event_time',
          'missing_medication_name',
          'missing_up_id',
          'missing_up_id',
        ].sort(),
      );
    });

    it('gives the same periods for the file published three times, shuffled, and counts 34 duplicates', async () => {
      const { totals } = await consume();
      await publishCli(DEVICE_SAMPLE_PATH, '--shuffle', '--repeat', '3');
      await waitFor(
        '72 messages handled',
        () => totals.accepted + totals.duplicates + totals.rejected === 72,
      );
      expect(totals).toEqual({ accepted: 17, duplicates: 34, rejected: 21 });
      expect(await storedPeriods(t.db)).toEqual(expectedPeriods(loadDeviceSample()));
    });

    it('loses and doubles nothing when a consumer process is killed with SIGKILL mid-stream and restarted', async () => {
      const events = generateEvents(10_000, 100);
      const service = { databaseUrl: t.url, broker: options };
      const first = spawnService('consumer', service);
      await publishRaw(
        options,
        events.map((e) => JSON.stringify(e)),
      );
      await waitFor('part of the stream committed', async () => (await eventCount(t.db)) > 1_500, {
        timeoutMs: 60_000,
      });
      first.kill('SIGKILL');
      await exited(first);
      const midway = await eventCount(t.db);
      expect(midway).toBeLessThan(10_000);

      const second = spawnService('consumer', service);
      try {
        await waitFor('every event in the log', async () => (await eventCount(t.db)) === 10_000, {
          timeoutMs: 120_000,
        });
        await waitFor('the queue drained', async () => (await readyCount(options.queue)) === 0, {
          timeoutMs: 30_000,
        });
      } finally {
        second.kill('SIGTERM');
        expect(await exited(second)).toBe(0);
      }
      // The log's dedupe key is unique, so the 10,000 rows counted above are
      // 10,000 distinct events; the periods show that nothing was applied twice.
      expect(await storedPeriods(t.db)).toEqual(expectedPeriods(events));
      expect(await readyCount(options.deadLetterQueue)).toBe(0);
    });

    it('serves a consumer-only process probes and metrics on OPERATIONS_PORT, and no API there', async () => {
      const events = generateEvents(300, 30, 11);
      const port = await freePort();
      const consumer = spawnService('consumer', {
        databaseUrl: t.url,
        broker: options,
        extra: { OPERATIONS_PORT: String(port) },
      });
      const get = (path: string) => fetch(`http://127.0.0.1:${port}${path}`);
      const accepted = async () => {
        const text = await (await get('/metrics')).text();
        return Number(/^events_accepted_total\{source="amqp"\} (\d+)$/m.exec(text)?.[1] ?? -1);
      };
      try {
        await waitFor(
          'the operations port answers',
          async () =>
            // Refused until the process has started listening.
            get('/readyz').then(
              (r) => r.ok,
              () => false,
            ),
          {
            timeoutMs: 30_000,
          },
        );
        expect(await (await get('/readyz')).json()).toEqual({
          status: 'ready',
          checks: { database: 'ok', broker: 'ok' },
        });
        expect(await accepted()).toBe(0);
        await publishRaw(
          options,
          events.map((e) => JSON.stringify(e)),
        );
        await waitFor('the consumer counted every event', async () => (await accepted()) === 300, {
          timeoutMs: 60_000,
        });
        expect(await eventCount(t.db)).toBe(300);
        expect((await get('/api/v1/medication_periods/e2e-p1')).status).toBe(404);
      } finally {
        consumer.kill('SIGTERM');
        expect(await exited(consumer)).toBe(0);
      }
    });

    it('two consumer processes on one queue, two batches in flight each, streams interleaved, give the periods of a single one-shot projection', async () => {
      const events = generateEvents(4_000, 20, 7);
      const service = {
        databaseUrl: t.url,
        broker: options,
        extra: { AMQP_PREFETCH: '50', AMQP_BATCH_SIZE: '25', AMQP_CONCURRENT_BATCHES: '2' },
      };
      const a = spawnService('consumer', service);
      const b = spawnService('consumer', service);
      try {
        await publishRaw(
          options,
          events.map((e) => JSON.stringify(e)),
        );
        await waitFor('every event in the log', async () => (await eventCount(t.db)) === 4_000, {
          timeoutMs: 120_000,
        });
      } finally {
        a.kill('SIGTERM');
        b.kill('SIGTERM');
        expect([await exited(a), await exited(b)]).toEqual([0, 0]);
      }
      expect(await storedPeriods(t.db)).toEqual(expectedPeriods(events));
    });
  },
);

describe('publish CLI input', () => {
  const publish = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'src/cli/publish.ts', ...args], {
      cwd: REPO_ROOT,
    }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );

  it('says so and exits non-zero when the broker cannot be reached', async () => {
    const failed = await publish(
      DEVICE_SAMPLE_PATH,
      '--url',
      'amqp://127.0.0.1:1',
      '--connect-timeout',
      '1000',
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toMatch(/connect.*127\.0\.0\.1:1/i);
  });
});

describe.skipIf(!shouldRunBrokerTests() || !mariadbBackend.available)(
  'a MariaDB outage under the consumer',
  () => {
    it('acknowledges nothing uncommitted while the database is unreachable, and has everything in after it returns', async () => {
      const t = await mariadbBackend.create();
      const options = uniqueBrokerOptions('outage', {
        batchWindowMs: 20,
        retryInitialMs: 100,
        retryMaxMs: 500,
      });
      const url = new URL(t.url);
      const proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 3306) });
      url.port = String(proxy.port);
      const db = createDb(url.toString());
      let consumer: Consumer | undefined;
      try {
        await (await connectBroker({ options })).close();
        const committed = { events: 0, failedWrites: 0 };
        consumer = await startConsumer({
          options,
          write: async (items) => {
            try {
              const result = await ingest(db, items, { source: 'amqp' });
              committed.events += result.accepted;
              return result;
            } catch (error) {
              committed.failedWrites += 1;
              throw error;
            }
          },
        });
        const events = generateEvents(3_000, 30, 11);
        await publishRaw(
          options,
          events.slice(0, 1_000).map((e) => JSON.stringify(e)),
        );
        await waitFor('the first thousand in', () => committed.events === 1_000, {
          timeoutMs: 60_000,
        });

        await proxy.cut();
        await publishRaw(
          options,
          events.slice(1_000).map((e) => JSON.stringify(e)),
        );
        // The consumer has tried, failed and retried while the database is away:
        // the moments in which a wrong acknowledgement would have happened.
        await waitFor('three failed writes during the outage', () => committed.failedWrites >= 3, {
          timeoutMs: 30_000,
        });
        // Nothing was committed, so nothing may have been acknowledged: all 2,000 are still in
        // the queue. The broker refreshes a quorum queue's counts every few seconds, so the
        // count is polled; one acknowledged message would keep it below 2,000 for good.
        await waitFor(
          'all 2,000 counted in the queue',
          async () => (await queueDepth(options.queue)) === 2_000,
          {
            timeoutMs: 20_000,
            intervalMs: 500,
          },
        );
        expect(committed.events).toBe(1_000);

        await proxy.restore();
        await waitFor('everything in', () => committed.events === 3_000, { timeoutMs: 90_000 });
        expect(await eventCount(t.db)).toBe(3_000);
        expect(await storedPeriods(t.db)).toEqual(expectedPeriods(events));
        expect(await readyCount(options.deadLetterQueue)).toBe(0);
      } finally {
        await consumer?.stop();
        await deleteTopology(options).catch(() => undefined);
        await db.destroy();
        await proxy.close();
        await t.destroy();
      }
    });
  },
);

/** Ready plus unacknowledged messages, as the broker counts them. */
async function queueDepth(queue: string): Promise<number> {
  const { stdout } = await run('rabbitmqctl', [
    '-q',
    'list_queues',
    'name',
    'messages',
    '--no-table-headers',
  ]);
  const line = stdout.split('\n').find((l) => l.split('\t')[0] === queue);
  return Number(line?.split('\t')[1] ?? NaN);
}
