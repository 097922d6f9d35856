import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { closeConnectionsNamed } from '../../src/chaos/rabbitmqctl';
import { RABBIT_URL, shouldRunBrokerTests } from '../../test/support/broker';
import { connectAmqp } from './amqpConnection';

const stillPending = (promise: Promise<unknown>) =>
  Promise.race([
    promise.then(
      () => 'settled',
      () => 'settled',
    ),
    new Promise((resolve) => setTimeout(() => resolve('pending'), 200)),
  ]);

describe.skipIf(!shouldRunBrokerTests())('the bench’s bare broker connection', () => {
  it('turns a connection the broker closes into a rejection, not an unhandled error event', async () => {
    const name = `bench.test.${randomBytes(4).toString('hex')}`;
    const bench = await connectAmqp(RABBIT_URL, name);
    await bench.connection.createChannel();
    expect(await closeConnectionsNamed(name)).toBe(1);
    await expect(bench.lost).rejects.toThrow(/broker/);
    await bench.close();
  });

  it('stays quiet when the bench closes it itself', async () => {
    const bench = await connectAmqp(RABBIT_URL, `bench.test.${randomBytes(4).toString('hex')}`);
    await bench.close();
    expect(await stillPending(bench.lost)).toBe('pending');
  });
});
