import { randomBytes } from 'node:crypto';
import { withAmqpChannel } from '../../test/support/amqpChannel';
import { connectBroker } from '../../src/broker/connection';
import { resolveBrokerOptions, type BrokerOptions } from '../../src/broker/options';

/**
 * Broker options with names no one else uses (`bench.<label>.<random>`): the
 * exchange, the quorum queue and its dead-letter pair, exactly as the service
 * declares them.
 */
export function uniqueTopology(
  amqpUrl: string,
  label: string,
  overrides: Partial<BrokerOptions> = {},
): BrokerOptions {
  const id = `bench.${label}.${randomBytes(4).toString('hex')}`;
  return resolveBrokerOptions({
    url: amqpUrl,
    connectionName: id,
    exchange: `${id}.events`,
    queue: `${id}.queue`,
    ...overrides,
  });
}

/** Declares the topology the way the service does (rascal), then disconnects. */
export async function declareTopology(options: BrokerOptions): Promise<void> {
  const connection = await connectBroker({ options });
  await connection.close();
}

/** Messages ready in the queue (not counting delivered, unacknowledged ones). */
export function readyMessages(options: BrokerOptions): Promise<number> {
  return withAmqpChannel(
    options.url,
    async (ch) => (await ch.checkQueue(options.queue)).messageCount,
  );
}

/** Deletes what declareTopology created. */
export async function deleteTopology(options: BrokerOptions): Promise<void> {
  await withAmqpChannel(options.url, async (channel) => {
    await channel.deleteQueue(options.queue);
    await channel.deleteQueue(options.deadLetterQueue);
    await channel.deleteExchange(options.exchange);
    await channel.deleteExchange(options.deadLetterExchange);
    // Declared by the service for read-cache invalidation (src/broker/periodChanges.ts).
    await channel.deleteExchange(`${options.exchange}.period-changes`);
  });
}

/** Declares a fresh topology, runs `work` with it, and deletes it afterwards. */
export async function withTopology<T>(
  amqpUrl: string,
  label: string,
  work: (options: BrokerOptions) => Promise<T>,
  overrides: Partial<BrokerOptions> = {},
): Promise<T> {
  const options = uniqueTopology(amqpUrl, label, overrides);
  await declareTopology(options);
  try {
    return await work(options);
  } finally {
    await deleteTopology(options).catch((err: unknown) => {
      console.warn(`could not delete topology ${options.queue}: ${String(err)}`);
    });
  }
}
