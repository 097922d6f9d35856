import type { Channel } from 'amqplib';
import type { BrokerOptions } from './options';
import { changesExchangeOf } from './periodChanges';

/**
 * Deletes every queue and exchange that a connection with these options
 * declares (its topology, and the period-change exchange of the processes
 * that send or listen for notices). For runs that use names of their own:
 * tests and chaos runs.
 */
export async function deleteDeclaredTopology(
  channel: Channel,
  options: BrokerOptions,
): Promise<void> {
  await channel.deleteQueue(options.queue);
  await channel.deleteQueue(options.deadLetterQueue);
  await channel.deleteExchange(options.exchange);
  await channel.deleteExchange(options.deadLetterExchange);
  await channel.deleteExchange(changesExchangeOf(options));
}
