import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { REJECTION_REASONS } from '../domain';
import { SOURCES } from '../store/types';

// Seconds. The write path commits in milliseconds normally; the tail up to
// 10 s shows lock waits and transaction retries.
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
// Lag can exceed a write's duration when a caller pins received_at earlier.
const LAG_BUCKETS = [...DURATION_BUCKETS, 30, 60, 300];
// Up to AMQP_BATCH_SIZE (default 250; it cannot exceed the prefetch) messages per batch.
const BATCH_SIZE_BUCKETS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000];

/** Every series the service exports, on a registry of its own. */
export interface Metrics {
  /** Per app/process rather than prom-client's global one, so tests can build many apps. */
  registry: Registry;
  eventsAccepted: Counter<'source'>;
  eventsDuplicate: Counter<'source'>;
  eventIdConflicts: Counter<'source'>;
  eventsRejected: Counter<'source' | 'reason'>;
  writePathDuration: Histogram<'source'>;
  projectionDuration: Histogram;
  projectionLag: Histogram;
  httpRequestDuration: Histogram<'method' | 'route' | 'status_code'>;
  consumerBatchSize: Histogram;
}

/**
 * Labelled series appear only once set; zeroing the known label values up
 * front lets rate() and alerts see "0 so far" instead of "no data".
 */
function zeroKnownSeries(metrics: Metrics): void {
  for (const source of SOURCES) {
    metrics.eventsAccepted.inc({ source }, 0);
    metrics.eventsDuplicate.inc({ source }, 0);
    metrics.eventIdConflicts.inc({ source }, 0);
    metrics.writePathDuration.zero({ source });
    for (const reason of REJECTION_REASONS) metrics.eventsRejected.inc({ source, reason }, 0);
  }
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const metrics: Metrics = {
    registry,
    eventsAccepted: new Counter({
      name: 'events_accepted_total',
      help: 'Events appended to the event log (new, not duplicates).',
      labelNames: ['source'] as const,
      registers,
    }),
    eventsDuplicate: new Counter({
      name: 'events_duplicate_total',
      help: 'Valid events already in the log (redeliveries, re-posts); nothing changed.',
      labelNames: ['source'] as const,
      registers,
    }),
    eventIdConflicts: new Counter({
      name: 'events_event_id_conflicts_total',
      help: 'Duplicates whose event_id the log holds for different content (a device reusing ids); the logged event stands.',
      labelNames: ['source'] as const,
      registers,
    }),
    eventsRejected: new Counter({
      name: 'events_rejected_total',
      help: 'Items recorded as rejected events, by rejection reason.',
      labelNames: ['source', 'reason'] as const,
      registers,
    }),
    writePathDuration: new Histogram({
      name: 'write_path_duration_seconds',
      help: 'One committed ingest call: validation, append, re-projection and commit.',
      labelNames: ['source'] as const,
      buckets: DURATION_BUCKETS,
      registers,
    }),
    projectionDuration: new Histogram({
      name: 'projection_duration_seconds',
      help: 'Re-projecting the affected streams within an ingest call that appended events.',
      buckets: DURATION_BUCKETS,
      registers,
    }),
    projectionLag: new Histogram({
      name: 'projection_lag_seconds',
      help: "From the events' received_at to their periods being committed.",
      buckets: LAG_BUCKETS,
      registers,
    }),
    httpRequestDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP requests by route pattern (never the raw URL) and status code.',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: DURATION_BUCKETS,
      registers,
    }),
    consumerBatchSize: new Histogram({
      name: 'consumer_batch_size',
      help: 'Messages per batch the broker consumer hands to the write path.',
      buckets: BATCH_SIZE_BUCKETS,
      registers,
    }),
  };
  zeroKnownSeries(metrics);
  return metrics;
}
