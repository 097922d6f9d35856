import { describeError, type Logger } from './logger';
import type { Delivery } from './subscriptionEvents';

/**
 * Acks (or requeues) every delivery of a batch. A delivery whose channel has
 * closed since cannot be settled; the broker redelivers it, and the write
 * path turns the second copy into a duplicate.
 */
export function settle(
  deliveries: readonly Delivery[],
  outcome: { requeue: false } | { requeue: true; reason: unknown },
  log: Logger,
): void {
  let unsettled = 0;
  let reported = false;
  const onSettled = (err?: Error | null): void => {
    if (!err) return;
    unsettled += 1;
    if (reported) return;
    reported = true;
    // Report once per batch, after the other callbacks of this batch ran.
    setImmediate(() =>
      log.warn(
        { ...describeError(err), unsettled, of: deliveries.length },
        'messages could not be settled (channel closed); the broker will redeliver them',
      ),
    );
  };
  for (const d of deliveries) {
    if (outcome.requeue) {
      const reason =
        outcome.reason instanceof Error ? outcome.reason : new Error(String(outcome.reason));
      d.ackOrNack(reason, { strategy: 'nack', requeue: true }, onSettled);
    } else {
      d.ackOrNack(onSettled);
    }
  }
}

/** The largest `x-delivery-count` in the batch: how many times its most-retried message was returned. */
export function highestDeliveryCount(deliveries: readonly Delivery[]): number {
  let highest = 0;
  for (const d of deliveries) {
    const count: unknown = d.message.properties.headers?.['x-delivery-count'];
    if (typeof count === 'number' && count > highest) highest = count;
  }
  return highest;
}
