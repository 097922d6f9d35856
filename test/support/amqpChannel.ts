import { connect, type Channel } from 'amqplib';

/**
 * Runs `fn` on a plain amqplib channel of a connection of its own, closed
 * afterwards: independent of the code under test. Free of test-runner
 * imports, so the benchmark uses it too.
 */
export async function withAmqpChannel<T>(
  url: string,
  fn: (channel: Channel) => Promise<T>,
): Promise<T> {
  const connection = await connect(url);
  // A broker-side close also rejects what `fn` awaits; the event itself must not kill the process.
  connection.on('error', () => undefined);
  try {
    const channel = await connection.createChannel();
    // A failed passive check closes the channel with an error event; the rejected promise reports it.
    channel.on('error', () => undefined);
    return await fn(channel);
  } finally {
    await connection.close().catch(() => undefined);
  }
}
