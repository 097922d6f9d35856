import { connect } from 'amqplib';
import type { BrokerOptions } from '../broker/options';

export interface PublishProgress {
  published: number;
  confirmed: number;
}

export interface PlayOptions {
  broker: Pick<BrokerOptions, 'url' | 'exchange' | 'routingKey'>;
  /** Messages per second; the whole set is spread over the run this way. */
  ratePerSecond: number;
  connectionName: string;
  progress: PublishProgress;
}

const TICK_MS = 100;
const ATTEMPTS = 5;

/**
 * Plays the messages into the exchange at a steady pace with publisher
 * confirms, on a connection of its own (faults target the consumers' only).
 * A slice the broker did not confirm is published again: a copy is a
 * duplicate to the service, while a message never confirmed could be lost.
 */
export async function playMessages(
  messages: readonly Buffer[],
  options: PlayOptions,
): Promise<void> {
  const connection = await connect(options.broker.url, {
    clientProperties: { connection_name: options.connectionName },
  });
  try {
    const channel = await connection.createConfirmChannel();
    const perTick = Math.max(1, Math.round((options.ratePerSecond * TICK_MS) / 1000));
    const started = Date.now();
    for (let from = 0; from < messages.length; from += perTick) {
      const slice = messages.slice(from, from + perTick);
      for (let attempt = 1; ; attempt++) {
        for (const body of slice) {
          channel.publish(options.broker.exchange, options.broker.routingKey, body, {
            persistent: true,
            contentType: 'application/json',
          });
        }
        options.progress.published += attempt === 1 ? slice.length : 0;
        try {
          await channel.waitForConfirms();
          break;
        } catch (err) {
          if (attempt >= ATTEMPTS) throw err;
        }
      }
      options.progress.confirmed += slice.length;
      // Keep the pace: wait until this slice's moment in the schedule has come.
      const due = started + ((from + slice.length) / options.ratePerSecond) * 1000;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  } finally {
    await connection.close().catch(() => undefined);
  }
}
