import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { BrokerConfig } from 'rascal';
import type { BrokerConnection } from './connection';
import { describeError, type Logger } from './logger';
import type { BrokerOptions } from './options';

/**
 * Period-change notifications: after a write commits, the writing process
 * publishes the ids of the patients whose periods it changed on a fanout
 * exchange; every API process listens on a queue of its own and drops those
 * patients from its read cache. Best effort by design: a lost notice is
 * covered by the cache's TTL, and the cache is cleared whenever the
 * listener's connection comes back.
 */
export const CHANGES_PUBLICATION = 'period-changes';
export const CHANGES_SUBSCRIPTION = 'period-changes';

export function changesExchangeOf(options: BrokerOptions): string {
  return `${options.exchange}.period-changes`;
}

/** A queue name no other process uses; the queue lives as long as this process's connection. */
export function listenerQueueName(options: BrokerOptions): string {
  return `${options.queue}.period-changes.${hostname()}.${process.pid}.${randomBytes(3).toString('hex')}`;
}

/** Adds the exchange, the publication and (for a listener) the queue and subscription. */
export function addPeriodChanges(
  config: BrokerConfig,
  vhost: string,
  options: BrokerOptions,
  listenerQueue?: string,
): BrokerConfig {
  const v = config.vhosts[vhost] ?? (config.vhosts[vhost] = {});
  const exchange = changesExchangeOf(options);
  v.exchanges = {
    ...v.exchanges,
    [exchange]: { assert: true, type: 'fanout', options: { durable: true } },
  };
  v.publications = {
    ...v.publications,
    [CHANGES_PUBLICATION]: {
      exchange,
      confirm: false,
      options: { persistent: false, contentType: 'application/json' },
    },
  };
  if (listenerQueue) {
    v.queues = {
      ...v.queues,
      [listenerQueue]: {
        assert: true,
        options: { exclusive: true, autoDelete: true, durable: false },
      },
    };
    v.bindings = { ...v.bindings, periodChanges: { source: exchange, destination: listenerQueue } };
    v.subscriptions = {
      ...v.subscriptions,
      [CHANGES_SUBSCRIPTION]: { queue: listenerQueue, prefetch: 100 },
    };
  }
  return config;
}

/** Tells every listening process which patients' periods changed. Never throws. */
export async function publishPeriodChanges(
  connection: BrokerConnection,
  upIds: readonly string[],
  log: Logger,
): Promise<void> {
  if (upIds.length === 0 || !connection.isConnected()) return;
  try {
    const publication = await connection.broker.publish(
      CHANGES_PUBLICATION,
      Buffer.from(JSON.stringify(upIds)),
    );
    publication.on('error', (err) =>
      log.warn(describeError(err), 'period-change notice not published'),
    );
  } catch (err) {
    log.warn(describeError(err), 'period-change notice not published');
  }
}

/** Calls `onChange` with the patients of every notice, and `onReconnect` when notices may have been missed. */
export async function listenForPeriodChanges(
  connection: BrokerConnection,
  handlers: { onChange(upIds: string[]): void; onReconnect(): void },
  log: Logger,
): Promise<void> {
  const subscription = await connection.broker.subscribe(CHANGES_SUBSCRIPTION);
  subscription.on('message', (_message, content, ackOrNack) => {
    const upIds = parseNotice(content);
    if (upIds) handlers.onChange(upIds);
    else log.warn({}, 'ignoring a malformed period-change notice');
    ackOrNack();
  });
  subscription.on('error', (err) =>
    log.warn(describeError(err), 'period-change subscription error'),
  );
  connection.broker.on('connect', () => handlers.onReconnect());
}

function parseNotice(content: unknown): string[] | null {
  const value: unknown = Buffer.isBuffer(content) ? safeJson(content.toString('utf8')) : content;
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : null;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
