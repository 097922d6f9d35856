import { isDatabaseUnavailable } from '../store/databaseErrors';
import type { IncomingItem, WriteResult } from '../store/types';
import { TimeoutError, withTimeout } from '../withTimeout';
import { backoffDelay, sleep } from './backoff';
import { Batcher } from './batcher';
import { connectBroker, type BrokerConnection } from './connection';
import { patientHintOf } from './decode';
import { describeError, silentLogger, type Logger } from './logger';
import type { BrokerOptions } from './options';
import { highestDeliveryCount, settle } from './settleDeliveries';
import { attachSubscriptionHandlers, subscribed, type Delivery } from './subscriptionEvents';
import { SUBSCRIPTION } from './topology';

/** Stores one batch in one transaction; rejects if nothing of it was stored. */
export type WriteBatch = (items: readonly IncomingItem[]) => Promise<WriteResult>;

export interface StartConsumerArgs {
  write: WriteBatch;
  /** Ignored when `connection` is given: the connection's own options apply. */
  options?: Partial<BrokerOptions>;
  logger?: Logger;
  /** Told the size of every batch handed to the write (for metrics). */
  observer?: { onBatch(size: number): void };
  /** A connection to share (e.g. with /readyz); when absent one is opened and closed with the consumer. */
  connection?: BrokerConnection;
}

export interface Consumer {
  /**
   * Stops taking messages, lets the batch in flight commit and be
   * acknowledged, then closes the connection if the consumer opened it.
   * Bounded by `shutdownTimeoutMs`; whatever is unacknowledged by then is
   * redelivered by the broker later, which is safe because writes are idempotent.
   */
  stop(): Promise<void>;
  isConnected(): boolean;
}

/**
 * Consumes device events: batches deliveries, writes each batch with one
 * call, and acknowledges a batch only once that call resolved. A failed write
 * is requeued after an exponential backoff; every requeue counts as a
 * delivery in the quorum queue, which dead-letters a message after the
 * delivery limit so that a persistent failure ends where an operator sees it.
 */
export async function startConsumer(args: StartConsumerArgs): Promise<Consumer> {
  const log = args.logger ?? silentLogger;
  const ownsConnection = args.connection === undefined;
  const connection =
    args.connection ?? (await connectBroker({ options: args.options, logger: log }));
  const { options } = connection;
  const stopping = new AbortController();
  let failuresInARow = 0;

  /**
   * Writes a batch and acknowledges it once committed. While the database is
   * unavailable the batch is held (unacknowledged) and retried in place with
   * backoff: an outage is not the messages' fault, and requeueing would spend
   * their delivery limit and dead-letter healthy data. Any other failure is
   * narrowed down by halving the batch, so that only the message that fails
   * on its own is requeued, and dead-lettered past the delivery limit.
   */
  const writeBatch = async (deliveries: Delivery[]): Promise<void> => {
    let result: WriteResult;
    for (;;) {
      try {
        result = await args.write(deliveries.map((d) => d.item));
        break;
      } catch (err) {
        failuresInARow += 1;
        const delayMs = backoffDelay(failuresInARow, options.retryInitialMs, options.retryMaxMs);
        if (isDatabaseUnavailable(err) && stopping.signal.aborted) {
          // RabbitMQ counts any return of an unacknowledged message as a
          // delivery, a closed channel's as much as a nack's: this costs one.
          log.warn(
            { ...describeError(err), messages: deliveries.length },
            'stopping while the database is unavailable; returning the held batch to the queue',
          );
          settle(deliveries, { requeue: true, reason: err }, log);
          return;
        }
        if (isDatabaseUnavailable(err)) {
          log.error(
            {
              ...describeError(err),
              messages: deliveries.length,
              failuresInARow,
              retryInMs: delayMs,
            },
            'database unavailable; holding the batch unacknowledged and retrying it',
          );
          await sleep(delayMs, stopping.signal);
          continue;
        }
        if (deliveries.length > 1 && !stopping.signal.aborted) {
          const half = Math.ceil(deliveries.length / 2);
          log.warn(
            { ...describeError(err), messages: deliveries.length },
            'writing a batch failed; retrying its halves to isolate the failing message',
          );
          await writeBatch(deliveries.slice(0, half));
          await writeBatch(deliveries.slice(half));
          return;
        }
        log.error(
          {
            ...describeError(err),
            messages: deliveries.length,
            requeueInMs: stopping.signal.aborted ? 0 : delayMs,
            highestDeliveryCount: highestDeliveryCount(deliveries),
            deliveryLimit: options.deliveryLimit,
          },
          'writing a message failed; requeueing it (past the delivery limit it is dead-lettered)',
        );
        await sleep(delayMs, stopping.signal);
        settle(deliveries, { requeue: true, reason: err }, log);
        return;
      }
    }
    failuresInARow = 0;
    settle(deliveries, { requeue: false }, log);
    log.debug(
      {
        messages: deliveries.length,
        accepted: result.accepted,
        duplicates: result.duplicates,
        rejected: result.rejected.length,
      },
      'batch written and acknowledged',
    );
  };

  const batcher = new Batcher<Delivery>({
    maxSize: options.batchSize,
    windowMs: options.batchWindowMs,
    maxConcurrent: options.concurrentBatches,
    keyOf: (delivery) => patientHintOf(delivery.item),
    process: (deliveries) => {
      args.observer?.onBatch(deliveries.length);
      return writeBatch(deliveries);
    },
    onProcessError: (err) =>
      log.error(describeError(err), 'unexpected failure while handling a batch'),
  });

  const subscription = await connection.broker.subscribe(SUBSCRIPTION);
  attachSubscriptionHandlers(subscription, batcher, log, options.maxMessageBytes);
  await subscribed(subscription);
  log.info(
    { queue: options.queue, prefetch: options.prefetch, batchSize: options.batchSize },
    'consuming device events',
  );

  let stopped: Promise<void> | null = null;
  return {
    isConnected: () => connection.isConnected(),
    stop: () => {
      stopped ??= stopConsumer();
      return stopped;
    },
  };

  async function stopConsumer(): Promise<void> {
    log.info({ pending: batcher.pendingCount, inFlight: batcher.busy }, 'stopping the consumer');
    stopping.abort();
    // Cancelling first stops new deliveries; rascal's cancel then waits until
    // every delivered message is settled, which the drained batcher does.
    const drained = Promise.all([subscription.cancel(), batcher.drain()]).then(
      () => 'drained' as const,
    );
    const outcome = await settledWithin(drained, options.shutdownTimeoutMs);
    if (outcome === 'timeout') {
      log.warn(
        { timeoutMs: options.shutdownTimeoutMs, pending: batcher.pendingCount },
        'consumer did not drain in time; its unacknowledged messages will be redelivered',
      );
    }
    if (ownsConnection) {
      const closed = await settledWithin(
        connection.close().then(() => 'closed' as const),
        options.shutdownTimeoutMs,
      );
      if (closed === 'timeout') log.warn({}, 'broker connection did not close in time');
    }
    log.info({}, 'consumer stopped');
  }
}

/** 'timeout' when the work outlasts the shutdown bound (it goes on in the background). */
async function settledWithin<T>(work: Promise<T>, ms: number): Promise<T | 'timeout'> {
  try {
    return await withTimeout(work, ms, 'shutdown step');
  } catch (error) {
    if (error instanceof TimeoutError) return 'timeout';
    throw error;
  }
}
