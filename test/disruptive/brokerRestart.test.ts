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
      const events = generateEvents(2_500, 25, 3);
      const bodies = events.map((e) => JSON.stringify(e));
      await (await connectBroker({ options })).close();
      const consumer = spawnService('consumer', { databaseUrl: t.url, broker: options });
      try {
        await publishRaw(options, bodies.slice(0, 500));
        await waitFor('the first 500 in', async () => (await eventCount(t.db)) === 500, {
          timeoutMs: 60_000,
        });

        // Some of these are still queued or in flight when the broker goes down.
        await publishRaw(options, bodies.slice(500, 1_500));
        try {
          rabbitmqctl('stop_app');
        } finally {
          rabbitmqctl('start_app');
          rabbitmqctl('await_startup');
        }
        await publishRaw(options, bodies.slice(1_500));
        await waitFor('all 2,500 in', async () => (await eventCount(t.db)) === 2_500, {
          timeoutMs: 120_000,
        });
        expect(await storedPeriods(t.db)).toEqual(expectedPeriods(events));
        expect(consumer.exitCode).toBeNull(); // the same process, recovered by itself
      } finally {
        consumer.kill('SIGTERM');
        expect(await exited(consumer)).toBe(0);
        await deleteTopology(options).catch(() => undefined);
        await t.destroy();
      }
    });
  },
);
