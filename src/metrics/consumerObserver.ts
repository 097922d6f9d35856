import type { Metrics } from './metrics';

/**
 * What the broker consumer reports. A narrow interface, so the consumer
 * neither imports prom-client nor needs a Metrics in its tests.
 */
export interface ConsumerObserver {
  /** Once per batch handed to the write path, with its number of messages. */
  onBatch(size: number): void;
}

export function metricsConsumerObserver(metrics: Metrics): ConsumerObserver {
  return { onBatch: (size) => metrics.consumerBatchSize.observe(size) };
}
