import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectBroker } from './connection';
import {
  deleteTopology,
  shouldRunBrokerTests,
  uniqueBrokerOptions,
  withChannel,
} from '../../test/support/broker';
import type { BrokerOptions } from './options';

interface ListedQueue {
  name: string;
  type: string;
  durable: boolean;
  /** As rabbitmqctl prints them: [name, AMQP type, value]. */
  arguments: [string, string, unknown][];
}

/** Queues as the broker itself describes them (rabbitmqctl; the management API may be off). */
function listQueues(): ListedQueue[] {
  const listed = spawnSync(
    'rabbitmqctl',
    ['list_queues', 'name', 'type', 'durable', 'arguments', '--formatter', 'json', '--quiet'],
    { encoding: 'utf8', timeout: 30_000 },
  );
  if (listed.status !== 0) throw new Error(`rabbitmqctl list_queues failed: ${listed.stderr}`);
  return JSON.parse(listed.stdout) as ListedQueue[];
}

describe.runIf(shouldRunBrokerTests())('topology (real RabbitMQ)', () => {
  let options: BrokerOptions | undefined;
  afterEach(async () => {
    if (options) await deleteTopology(options);
    options = undefined;
  });

  it('declares a durable quorum queue with a delivery limit and a dead-letter queue behind it', async () => {
    options = uniqueBrokerOptions('topology', { deliveryLimit: 4 });
    const connection = await connectBroker({ options });
    expect(connection.isConnected()).toBe(true);
    await connection.close();

    const queues = listQueues();
    const main = queues.find((q) => q.name === options?.queue);
    expect(main).toMatchObject({ type: 'quorum', durable: true });
    expect(
      Object.fromEntries(main?.arguments.map(([name, , value]) => [name, value]) ?? []),
    ).toMatchObject({
      'x-queue-type': 'quorum',
      'x-delivery-limit': 4,
      'x-dead-letter-exchange': options.deadLetterExchange,
      'x-dead-letter-strategy': 'at-least-once',
    });
    const deadLetter = queues.find((q) => q.name === options?.deadLetterQueue);
    expect(deadLetter).toMatchObject({ type: 'quorum', durable: true });

    // Both exchanges exist and are durable (a passive check fails on a missing one).
    await withChannel(async (channel) => {
      await channel.checkExchange(options!.exchange);
      await channel.checkExchange(options!.deadLetterExchange);
    });
  });

  it('can be declared again by a second process with the same options', async () => {
    options = uniqueBrokerOptions('redeclare');
    const first = await connectBroker({ options });
    const second = await connectBroker({ options });
    await Promise.all([first.close(), second.close()]);
  });

  it('turns Nagle off on the socket, so that a lone ack or publish is not held back', async () => {
    options = uniqueBrokerOptions('nodelay');
    const setNoDelay = vi.spyOn(net.Socket.prototype, 'setNoDelay');
    try {
      const connection = await connectBroker({ options });
      await connection.close();
      expect(setNoDelay).toHaveBeenCalledWith(true);
      expect(setNoDelay).not.toHaveBeenCalledWith(false);
    } finally {
      setNoDelay.mockRestore();
    }
  });
});
