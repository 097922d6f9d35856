import { MAX_STORED_ITEM_BYTES } from '../store/statementSizes';

/**
 * Everything the broker side can be tuned with. The process entry maps
 * configuration onto it; tests pass unique names so parallel runs never share
 * an exchange or a queue.
 */
export interface BrokerOptions {
  /** amqp://user:pass@host:port/vhost; the vhost comes from the path. */
  url: string;
  /** Shown by `rabbitmqctl list_connections client_properties` and in the management UI. */
  connectionName: string;
  /** Durable topic exchange the devices (and the publish CLI) publish to. */
  exchange: string;
  /** Routing key the publish CLI uses; the queue is bound with `#`, so any key is consumed. */
  routingKey: string;
  /** Durable quorum queue the consumer reads. */
  queue: string;
  /** Fanout exchange receiving what the queue dead-letters; `<queue>.dlx` unless given. */
  deadLetterExchange: string;
  /** Where an operator finds messages that exceeded the delivery limit; `<queue>.dead-letter` unless given. */
  deadLetterQueue: string;
  /** Deliveries after which the quorum queue dead-letters a message (`x-delivery-limit`). */
  deliveryLimit: number;
  /** Unacknowledged messages the broker may push to one consumer; bounds a batch from above. */
  prefetch: number;
  /** A batch is written as soon as it holds this many messages... */
  batchSize: number;
  /**
   * ...or this long after its first message arrived, whichever comes first.
   * 0: as soon as no batch is in flight (group commit: batches grow with the load).
   */
  batchWindowMs: number;
  /** Batches written at the same time by one consumer (each its own transaction). */
  concurrentBatches: number;
  /**
   * Largest message body taken as an event. A larger one is recorded as a
   * rejected event (payload_too_large) holding its first this-many bytes, so
   * that no statement of the write path outgrows the database's packet limit.
   */
  maxMessageBytes: number;
  /** Delay before the first requeue of a batch whose write failed; doubles on each failure in a row. */
  retryInitialMs: number;
  /** Cap on that delay. */
  retryMaxMs: number;
  /** How long stop() may take before it gives up waiting for the batch in flight. */
  shutdownTimeoutMs: number;
  /** Confirm channels the publisher keeps; each carries one unconfirmed message at a time. */
  publisherChannels: number;
  /** Bounds on rascal's reconnection backoff after a lost connection. */
  reconnectMinMs: number;
  reconnectMaxMs: number;
  /** TLS material for an amqps:// URL (PEM), passed to the socket; see loadAmqpTls. */
  tls?: AmqpTls;
}

/** CA bundle, client certificate and key for amqps://; absent ones are left to Node's defaults. */
export interface AmqpTls {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

/** A message body is one event, stored whole in one row. */
export const MAX_MESSAGE_BYTES_CEILING = MAX_STORED_ITEM_BYTES;

export const DEFAULT_BROKER_OPTIONS: Readonly<
  Omit<BrokerOptions, 'deadLetterExchange' | 'deadLetterQueue'>
> = {
  url: 'amqp://guest:guest@127.0.0.1:5672',
  connectionName: 'medication-periods',
  exchange: 'device-events',
  routingKey: 'device.event',
  queue: 'medication-periods.device-events',
  deliveryLimit: 5,
  prefetch: 1000,
  batchSize: 250,
  batchWindowMs: 0,
  concurrentBatches: 2,
  maxMessageBytes: 1_048_576,
  retryInitialMs: 1_000,
  retryMaxMs: 30_000,
  shutdownTimeoutMs: 10_000,
  publisherChannels: 32,
  reconnectMinMs: 500,
  reconnectMaxMs: 30_000,
};

/** Fills in defaults and rejects combinations that cannot work. */
export function resolveBrokerOptions(overrides: Partial<BrokerOptions> = {}): BrokerOptions {
  const given = { ...DEFAULT_BROKER_OPTIONS, ...withoutUndefined(overrides) };
  const options: BrokerOptions = {
    ...given,
    deadLetterExchange: given.deadLetterExchange ?? `${given.queue}.dlx`,
    deadLetterQueue: given.deadLetterQueue ?? `${given.queue}.dead-letter`,
  };
  const positive: (keyof BrokerOptions)[] = [
    'deliveryLimit',
    'prefetch',
    'batchSize',
    'concurrentBatches',
    'maxMessageBytes',
    'retryInitialMs',
    'retryMaxMs',
    'shutdownTimeoutMs',
    'publisherChannels',
    'reconnectMinMs',
    'reconnectMaxMs',
  ];
  for (const key of positive) {
    const value = options[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new Error(`broker option ${key} must be a positive integer, got ${String(value)}`);
    }
  }
  if (!Number.isInteger(options.batchWindowMs) || options.batchWindowMs < 0) {
    throw new Error(`broker option batchWindowMs must be an integer >= 0`);
  }
  // A batch can never grow past what the broker lets one consumer hold unacknowledged.
  if (options.batchSize * options.concurrentBatches > options.prefetch) {
    throw new Error(
      `broker options batchSize × concurrentBatches (${options.batchSize} × ${options.concurrentBatches}) exceed prefetch (${options.prefetch}): AMQP_BATCH_SIZE × AMQP_CONCURRENT_BATCHES must not exceed AMQP_PREFETCH`,
    );
  }
  if (options.maxMessageBytes > MAX_MESSAGE_BYTES_CEILING) {
    throw new Error(`broker option maxMessageBytes must be at most ${MAX_MESSAGE_BYTES_CEILING}`);
  }
  // Rascal opens at most 100 channels per connection by default (channelMax).
  if (options.publisherChannels > 90) {
    throw new Error('broker option publisherChannels must be at most 90');
  }
  if (!/^amqps?:\/\//.test(options.url))
    throw new Error('broker option url must start with amqp:// or amqps://');
  return options;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
