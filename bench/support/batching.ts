import { DEFAULT_BROKER_OPTIONS } from '../../src/broker/options';

/** The consumer's default batching, as the report states it (read from the code, so it cannot go stale). */
export function defaultBatching(): string {
  const o = DEFAULT_BROKER_OPTIONS;
  const window = o.batchWindowMs === 0 ? 'no window: group commit' : `window ${o.batchWindowMs} ms`;
  const inFlight = `${o.concurrentBatches} ${o.concurrentBatches === 1 ? 'batch' : 'batches'} in flight`;
  return `prefetch ${o.prefetch}, batch ${o.batchSize}, ${window}, ${inFlight}`;
}
