import { connectAmqp } from '../support/amqpConnection';
import type { BenchContext } from '../context';
import { withTopology } from '../support/broker';
import { atSteadyRate, lagMessages } from './lagWorkload';

const DELIVERY_TIMEOUT_MS = 30_000;

/**
 * The lag scenario's baseline: the broker alone. The same messages at the
 * same rate and pacing, published the same way to a queue declared as the
 * service declares it, consumed by a bare amqplib consumer (prefetch 1000,
 * one acknowledgement per message) that writes nothing. Returns each
 * measured message's time from publish to delivery, warm-up excluded.
 */
export async function brokerOnlyLatencies(ctx: BenchContext): Promise<number[]> {
  const { ratePerS, warmUpS, brokerBaselineS } = ctx.sizes.lag;
  const warmUp = ratePerS * warmUpS;
  const total = warmUp + ratePerS * brokerBaselineS;
  return withTopology(ctx.amqpUrl, 'lagbase', async (topology) => {
    const { connection, lost, close } = await connectAmqp(ctx.amqpUrl);
    try {
      const publisher = await connection.createConfirmChannel();
      const consumer = await connection.createChannel();
      await consumer.prefetch(1000);
      // Indexed by message number, which travels as the message id.
      const publishedAt: number[] = [];
      const latencies: number[] = [];
      let delivered = 0;
      let allDelivered!: () => void;
      const done = new Promise<void>((resolve) => (allDelivered = resolve));
      await consumer.consume(topology.queue, (message) => {
        if (message === null) return;
        const index = Number(message.properties.messageId);
        if (index >= warmUp) latencies.push(performance.now() - publishedAt[index]!);
        consumer.ack(message);
        if (++delivered === total) allDelivered();
      });
      await atSteadyRate(ratePerS, lagMessages(ctx, total), (message, index) => {
        publishedAt[index] = performance.now();
        publisher.publish(topology.exchange, topology.routingKey, message.body, {
          persistent: true,
          contentType: 'application/json',
          messageId: String(index),
        });
      });
      await Promise.race([publisher.waitForConfirms(), lost]);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`broker baseline: ${delivered} of ${total} delivered`)),
          DELIVERY_TIMEOUT_MS,
        );
      });
      await Promise.race([done, timedOut, lost]).finally(() => clearTimeout(timer));
      return latencies;
    } finally {
      await close();
    }
  });
}
