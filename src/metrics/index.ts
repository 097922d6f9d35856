export { createMetrics, type Metrics } from './metrics';
export { metricsWriteObserver } from './writeObserver';
export { metricsConsumerObserver, type ConsumerObserver } from './consumerObserver';
