import { withDefaultConfig, type BrokerConfig } from 'rascal';
import type { BrokerOptions } from './options';

/** Names by which the rest of the code asks rascal for the publication and subscription. */
export const PUBLICATION = 'device-events';
export const SUBSCRIPTION = 'device-events';

/**
 * The vhost named by the URL's path, as RabbitMQ spells it: an empty path or
 * a lone slash is the default vhost "/", and "%2F" decodes to "/".
 */
export function vhostFromUrl(url: string): string {
  const path = new URL(url).pathname;
  if (path === '' || path === '/') return '/';
  return decodeURIComponent(path.slice(1));
}

/**
 * The whole topology as rascal configuration. Rascal asserts it on every
 * (re)connection, so publisher and consumer can start in any order and a
 * broker that lost its definitions gets them back.
 *
 * - a durable topic exchange the devices publish to;
 * - a durable quorum queue bound to it with `#`; quorum queues count
 *   deliveries, so a message that keeps failing is dead-lettered after
 *   `deliveryLimit` deliveries instead of looping forever;
 * - a fanout dead-letter exchange and a quorum dead-letter queue, where an
 *   operator finds those messages with their bytes untouched.
 *
 * Changing an argument of an existing queue makes RabbitMQ refuse the
 * declaration (PRECONDITION_FAILED): such a change needs a new queue name or
 * a migration of the old queue.
 */
export function buildTopology(options: BrokerOptions): BrokerConfig {
  const vhost = vhostFromUrl(options.url);
  return withDefaultConfig({
    defaults: {
      vhosts: {
        // Rascal reads the reconnection policy from the defaults only.
        connection: {
          retry: {
            min: options.reconnectMinMs,
            max: options.reconnectMaxMs,
            factor: 2,
            strategy: 'exponential',
          },
        },
      },
    },
    vhosts: {
      [vhost]: {
        connection: {
          url: options.url,
          socketOptions: {
            clientProperties: { connection_name: options.connectionName },
            // amqplib leaves Nagle's algorithm on, which holds a small frame
            // (an ack, a single publish, a period-change notification) until
            // the broker acknowledges the previous segment: about 20 ms at the
            // median on loopback, 45 ms at p99 (docs/performance.md).
            noDelay: true,
            // amqplib hands these to tls.connect for amqps:// URLs (ignored for amqp://).
            ...options.tls,
          },
        },
        publicationChannelPools: {
          confirmPool: { max: options.publisherChannels, min: 1 },
        },
        exchanges: {
          [options.exchange]: { assert: true, type: 'topic', options: { durable: true } },
          [options.deadLetterExchange]: {
            assert: true,
            type: 'fanout',
            options: { durable: true },
          },
        },
        queues: {
          [options.queue]: {
            assert: true,
            options: {
              durable: true,
              arguments: {
                'x-queue-type': 'quorum',
                'x-delivery-limit': options.deliveryLimit,
                'x-dead-letter-exchange': options.deadLetterExchange,
                // The broker keeps a dead-lettered message until the dead-letter
                // queue confirms it, so dead-lettering cannot lose it.
                'x-dead-letter-strategy': 'at-least-once',
                'x-overflow': 'reject-publish',
              },
            },
          },
          [options.deadLetterQueue]: {
            assert: true,
            options: { durable: true, arguments: { 'x-queue-type': 'quorum' } },
          },
        },
        bindings: {
          events: { source: options.exchange, destination: options.queue, bindingKey: '#' },
          deadLetters: { source: options.deadLetterExchange, destination: options.deadLetterQueue },
        },
        publications: {
          [PUBLICATION]: {
            exchange: options.exchange,
            routingKey: options.routingKey,
            confirm: true,
            timeout: 30_000,
            options: { persistent: true, mandatory: true, contentType: 'application/json' },
          },
        },
        subscriptions: {
          [SUBSCRIPTION]: {
            queue: options.queue,
            prefetch: options.prefetch,
            // Hand every body over as raw bytes: decoding happens in this
            // project, so invalid bodies are recorded with what was received.
            contentType: 'application/octet-stream',
            retry: { min: 1_000, max: options.reconnectMaxMs, factor: 2, strategy: 'exponential' },
            closeTimeout: options.shutdownTimeoutMs,
          },
        },
      },
    },
  });
}
