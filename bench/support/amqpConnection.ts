import { connect, type ChannelModel } from 'amqplib';

export interface BenchConnection {
  connection: ChannelModel;
  /** Rejects if the broker closes the connection (or it fails) before `close()`; never resolves. */
  lost: Promise<never>;
  close(): Promise<void>;
}

/**
 * A bare amqplib connection for the bench's baselines and probes. Without an
 * 'error' listener a connection the broker closes (RabbitMQ 3.10's quorum
 * queue log writer can crash when a queue is deleted, closing connections
 * with 541 INTERNAL_ERROR) kills the whole bench process; here it becomes the
 * rejection of `lost`, which the waiting code races against.
 */
export async function connectAmqp(url: string, name = 'bench'): Promise<BenchConnection> {
  // Nagle off, as the service sets it: with it on, a publish or ack waits for
  // the broker's TCP acknowledgement of the previous segment.
  const connection = await connect(url, {
    noDelay: true,
    clientProperties: { connection_name: name },
  });
  let closing = false;
  const lost = new Promise<never>((_, reject) => {
    connection.on('error', (err: Error) =>
      reject(new Error(`broker connection failed: ${err.message}`)),
    );
    connection.on('close', () => {
      if (!closing) reject(new Error('the broker closed the connection'));
    });
  });
  // Whoever does not race against it must not get an unhandled rejection.
  lost.catch(() => undefined);
  return {
    connection,
    lost,
    async close() {
      closing = true;
      await connection.close().catch(() => undefined);
    },
  };
}
