import { connectAmqp } from '../support/amqpConnection';

/**
 * The baseline consumer: plain amqplib, prefetch 500 (the service's
 * default), and one multiple-acknowledgement every 250 messages (the
 * service's batch size) or at the last message. It does nothing else with a
 * message. Resolves with the time from subscribing to the last ack sent.
 */
export async function drainWithBareConsumer(args: {
  url: string;
  queue: string;
  expected: number;
  prefetch?: number;
  ackEvery?: number;
}): Promise<{ received: number; elapsedMs: number }> {
  const ackEvery = args.ackEvery ?? 250;
  const { connection, lost, close } = await connectAmqp(args.url);
  try {
    const channel = await connection.createChannel();
    await channel.prefetch(args.prefetch ?? 500);
    const started = performance.now();
    let received = 0;
    const allReceived = new Promise<void>((resolve, reject) => {
      channel.on('error', reject);
      void channel.consume(
        args.queue,
        (message) => {
          if (message === null) return reject(new Error('consumer cancelled by the broker'));
          received += 1;
          if (received % ackEvery === 0 || received === args.expected) {
            channel.ack(message, true);
          }
          if (received === args.expected) resolve();
        },
        { noAck: false },
      );
    });
    await Promise.race([allReceived, lost]);
    const elapsedMs = performance.now() - started;
    await channel.close();
    return { received, elapsedMs };
  } finally {
    await close();
  }
}
