import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { connectBroker } from '../../src/broker/connection';
import { mariadbBackend } from '../support/backends';
import {
  deleteTopology,
  publishRaw,
  shouldRunBrokerTests,
  uniqueBrokerOptions,
  waitFor,
} from '../support/broker';
import {
  eventCount,
  expectedPeriods,
  exited,
  generateEvents,
  spawnService,
  storedPeriods,
} from '../e2e/support';

// Restarts the machine's RabbitMQ: this suite runs alone (`vitest --project disruptive`),
// after every other suite, so it cannot pull the broker from under them.
const rabbitmqctl = (...args: string[]) =>
  execFileSync('rabbitmqctl', args, { stdio: 'pipe', timeout: 120_000 });

describe.skipIf(!shouldRunBrokerTests() || !mariadbBackend.available)(
  'a RabbitMQ restart under a running consumer',
  () => {
    it('reconnects and resubscribes by itself, and loses nothing', async () => {
      const t = await mariadbBackend.create();
      const options = uniqueBrokerOptions('restart');
      // Enough that the broker stops mid-stream even on a fast machine.
      const events = generateEvents(41_000, 200, 3);
      const bodies = events.map((e) => JSON.stringify(e));
      await (await connectBroker({ options })).close();
      const consumer = spawnService('consumer', { databaseUrl: t.url, broker: options });
      try {
        await publishRaw(options, bodies.slice(0, 500));
        await waitFor('the first 500 in', async () => (await eventCount(t.db)) === 500, {
          timeoutMs: 60_000,
        });

        await publishRaw(options, bodies.slice(500, 40_500));
        let inWhileStopped = 0;
        try {
          rabbitmqctl('stop_app');
          inWhileStopped = await eventCount(t.db);
        } finally {
          rabbitmqctl('start_app');
          rabbitmqctl('await_startup');
        }
        // The broker went down mid-stream: messages still queued or in flight.
        expect(inWhileStopped).toBeLessThan(40_500);
        await publishRaw(options, bodies.slice(40_500));
        await waitFor('all 41,000 in', async () => (await eventCount(t.db)) === 41_000, {
          timeoutMs: 240_000,
        });
        expect(await storedPeriods(t.db)).toEqual(expectedPeriods(events));
        expect(consumer.exitCode).toBeNull(); // the same process, recovered by itself
      } finally {
        consumer.kill('SIGTERM');
        expect(await exited(consumer)).toBe(0);
        await deleteTopology(options).catch(() => undefined);
        await t.destroy();
      }
    }, 240_000);
  },
);
